"""Handing work to Celery without ever losing it: every task queued by the project goes here.

The database is the record of what must be done (an outbox row, a send, a reminder run, an
import); a Celery message only wakes a worker up. So a broker that is down when the message is
queued is logged, never raised: the beat task that sweeps the same records does the work later.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import Task

from django.db import transaction

logger = logging.getLogger(__name__)


def queue(task: Task, *args: Any, countdown: float | None = None) -> bool:
    """Queue ``task(*args)`` now; False (logged) when the broker refused it."""
    try:
        # celery-types want a float countdown; Celery takes None for "at once".
        task.apply_async(args=args, countdown=countdown, retry=False)  # type: ignore[arg-type]
    except Exception:  # the broker is down, or an eager task failed: beat does the work later
        logger.warning(
            "Tâche %s%s non mise en file ; la ronde de beat la reprendra.",
            task.name,
            args,
            exc_info=True,
        )
        return False
    return True


def queue_after_commit(task: Task, *args: Any, countdown: float | None = None) -> None:
    """Queue ``task(*args)`` once the current transaction commits (at once outside one).

    A worker that picked the message up before the commit would not see the rows it is about.
    """
    transaction.on_commit(partial(queue, task, *args, countdown=countdown))
