"""Celery tasks of the outbox.

Their registered names are those they had in ``newsletters``: the beat schedule and messages
already in the broker name them so.
"""

from __future__ import annotations

from celery import shared_task

from . import outbox


@shared_task(name="newsletters.tasks.send_outbox_email")
def send_outbox_email(outbox_id: int) -> bool:
    """Send one outbox row; a no-op if it has already been sent or is being sent."""
    return outbox.deliver(outbox_id)


@shared_task(name="newsletters.tasks.drain_outbox")
def drain_outbox() -> int:
    """Beat: send what the on-commit queueing could not (broker down, worker lost, SMTP error)."""
    return outbox.drain_outbox()
