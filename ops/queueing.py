"""Handing work to Celery without ever losing it: every task queued by the project goes here.

The database is the record of what must be done (an outbox row, a send, a reminder run, an
import); a Celery message only wakes a worker up. So a broker that is down when the message is
queued is logged, never raised: the beat task that sweeps the same records does the work later.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from functools import lru_cache, partial
from typing import Any

import redis
from celery import Task
from redis.exceptions import RedisError

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


# --- One task for a burst of records: a flag in the broker's Redis says one is queued.
#
# Each record would wake a worker with a message of its own: a publish in the process that
# wrote it, an acknowledgement and a hand-over to a pool process in the worker, a database
# health check in the task. When one task handles every record due (the outbox's drain), one
# message a burst is enough. ``queue_unless_pending`` queues it only if no queued copy has yet
# started; the task calls ``task_started`` before it reads the records, so that a record
# committed once it has read them finds the flag clear and queues a copy of its own.

PENDING_PREFIX = "ops:queued:"


@lru_cache(maxsize=4)
def _flag_client(url: str) -> redis.Redis:
    # Bounded: a Redis that hangs must not hold a request longer than the publish would.
    return redis.Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=1.0)


def _flags_for(task: Task) -> redis.Redis | None:
    """The Redis the task's messages go to, or None when they go elsewhere (the filesystem
    broker of a local run, tasks run in place): then every call queues, as ``queue`` does."""
    conf = task.app.conf
    url = str(conf.broker_url or "")
    if conf.task_always_eager or not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    return _flag_client(url)


def pending_key(task: Task) -> str:
    return f"{PENDING_PREFIX}{task.name}"


def queue_unless_pending(task: Task, *, ttl: float) -> bool:
    """Queue ``task()`` unless a copy queued earlier has not started yet; True if queued.

    The flag lives in the broker's Redis, so a Redis that loses its messages loses the flag
    with them and the next call queues again. It expires after ``ttl`` seconds, so a message
    lost some other way (a worker killed with it prefetched) holds back later calls that long
    at most; the task's beat sweep is the safety net for the records nobody asks about again.
    When Redis does not answer, the call queues anyway: a task too many is harmless.
    """
    client = _flags_for(task)
    key = pending_key(task)
    if client is not None:
        try:
            if not client.set(key, 1, nx=True, px=int(ttl * 1000)):
                return False  # the queued copy starts later than this record's commit
        except (RedisError, OSError):
            client = None
    if queue(task):
        return True
    if client is not None:
        # The message never left: the next caller must not believe it did.
        with suppress(RedisError, OSError):
            client.delete(key)
    return False


def queue_unless_pending_after_commit(task: Task, *, ttl: float) -> None:
    """``queue_unless_pending`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(partial(queue_unless_pending, task, ttl=ttl))


def task_started(task: Task) -> None:
    """Called by ``task`` before it reads its records: later callers queue another copy."""
    client = _flags_for(task)
    if client is not None:
        # Left in place, the flag expires on its own: only a little later coalescing.
        with suppress(RedisError, OSError):
            client.delete(pending_key(task))
