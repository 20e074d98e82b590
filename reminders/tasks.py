"""Celery tasks of the reminders.

Their names predate the app's move and are kept: messages already queued and the beat
schedule (``CELERY_BEAT_SCHEDULE``) name them.
"""

from __future__ import annotations

from celery import shared_task

from . import dispatch, events


@shared_task(name="newsletters.reminders.dispatch_contest_reminders")
def dispatch_contest_reminders() -> int:
    """Beat: skip superseded slots and hand out the due ones; return how many were handed."""
    return len(dispatch.dispatch_due_reminders())


@shared_task(name="newsletters.reminders.send_reminder_run")
def send_reminder_run(run_id: int) -> int:
    """Send one due slot to whoever has not had it; safe to run twice or concurrently."""
    return dispatch.send_run(run_id)


@shared_task(name="reminders.dispatch_event_reminders")
def dispatch_event_reminders() -> int:
    """Beat: the reminders of registered events that are due; return how many were handed."""
    return len(events.dispatch_due())


@shared_task(name="reminders.send_event_reminder_run")
def send_event_reminder_run(run_id: int) -> int:
    """Send one due slot of an event to whoever has not had it; safe to run twice."""
    return events.send_run(run_id)
