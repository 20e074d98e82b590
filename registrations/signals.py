"""Signals of the registrations app, for the apps above it (the reminders stop a cancelled
person's reminders) without this app importing them."""

from __future__ import annotations

from django.dispatch import Signal

#: Sent with ``registration=`` (the cancelled ``Registration``) inside the transaction that
#: cancels it, by ``registrations.services.cancel``.
registration_cancelled = Signal()
