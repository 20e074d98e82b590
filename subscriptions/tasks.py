"""Celery tasks of the subscriptions: the CSV import, and the beat tasks that tidy up after it.

The task names are those they had in ``newsletters``, so that queued messages and the beat
schedule of a running deployment still find them.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="newsletters.tasks.import_subscribers")
def import_subscribers(import_id: int) -> None:
    """Validate then import one uploaded CSV file (see ``subscriptions.importer``)."""
    from .importer import run_stored_import

    run_stored_import(import_id)


@shared_task(name="subscriptions.tasks.requeue_stalled_imports")
def requeue_stalled_imports() -> int:
    """Beat: queue again the imports whose first message never reached a worker."""
    from .importer import requeue_stalled_imports as requeue

    return requeue()


@shared_task(name="newsletters.tasks.purge_unconfirmed_signups")
def purge_unconfirmed_signups() -> int:
    """Beat, daily: forget the sign-ups never confirmed (``subscriptions.retention``)."""
    from .retention import purge_unconfirmed_signups as purge

    return purge()
