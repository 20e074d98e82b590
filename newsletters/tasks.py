"""Celery tasks: importing subscribers, sending issues, purging unconfirmed sign-ups.

The outbox's tasks are in ``mailing.tasks`` (under their old ``newsletters.tasks`` names).
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="newsletters.tasks.start_send")
def start_send(send_id: int) -> bool:
    """Write a due send's ledger and fan its chunks out (see ``newsletters.sending``)."""
    from . import sending

    return sending.start_send(send_id)


@shared_task(name="newsletters.tasks.send_chunk")
def send_chunk(send_id: int, first_id: int, last_id: int) -> dict[str, int]:
    """Send one range of a send's ledger; safe to run twice, or after a crash."""
    from . import sending

    result = sending.send_chunk(send_id, first_id, last_id)
    return {"sent": result.sent, "failed": result.failed, "deferred": result.deferred}


@shared_task(name="newsletters.tasks.tick_sends")
def tick_sends() -> None:
    """Beat: start scheduled sends, re-dispatch stalled ones."""
    from . import sending

    sending.tick()
