"""Signals of the registrations app, for the apps above it (the reminders)."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent by ``registrations.services.cancel`` with ``registration=`` the cancelled registration.
registration_cancelled = Signal()
