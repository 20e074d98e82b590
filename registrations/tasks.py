"""Celery tasks of the registrations app that beat queues."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="registrations.tasks.anonymise_past_registrations")
def anonymise_past_registrations() -> int:
    """Beat, nightly: anonymise attendees of events past the retention period
    (``registrations.privacy``)."""
    from .privacy import anonymise_past_registrations as anonymise

    return anonymise()
