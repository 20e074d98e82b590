"""Celery tasks: sending outbox emails, draining the outbox, importing subscribers."""

from __future__ import annotations

from celery import shared_task

from . import mailing


@shared_task(name="newsletters.tasks.send_outbox_email")
def send_outbox_email(outbox_id: int) -> bool:
    """Send one outbox row; a no-op if it has already been sent or is being sent."""
    return mailing.deliver(outbox_id)


@shared_task(name="newsletters.tasks.drain_outbox")
def drain_outbox() -> int:
    """Send what the on-commit dispatch could not (broker down, worker lost, SMTP error).

    Imports whose task never reached the broker are queued again here too.
    """
    from .importer import requeue_stalled_imports

    requeue_stalled_imports()
    return mailing.drain_outbox()


@shared_task(name="newsletters.tasks.import_subscribers")
def import_subscribers(import_id: int) -> None:
    """Validate then import one uploaded CSV file (see ``newsletters.importer``)."""
    from .importer import run_stored_import

    run_stored_import(import_id)
