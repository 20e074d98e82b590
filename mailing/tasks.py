"""Celery tasks of the outbox.

Their registered names are those they had in ``newsletters``: the beat schedule and messages
already in the broker name them so.
"""

from __future__ import annotations

from celery import shared_task

from . import outbox


@shared_task
def send_due_outbox() -> int:
    """Queued after a commit by ``queue_email``, once for a burst: send every row due."""
    return outbox.send_due()


@shared_task(name="newsletters.tasks.send_outbox_email")
def send_outbox_email(outbox_id: int) -> bool:
    """Send one outbox row; a no-op if it has already been sent or is being sent.

    Nothing queues it any more (``send_due_outbox`` does the work); it stays for the messages
    queued before that, still in the broker when the new code starts."""
    return outbox.deliver(outbox_id)


@shared_task(name="newsletters.tasks.drain_outbox")
def drain_outbox() -> int:
    """Beat: send what the on-commit queueing could not (broker down, worker lost, SMTP error)."""
    return outbox.drain_outbox()
