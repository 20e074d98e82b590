"""The heartbeat beat queues, so that ``/readyz`` can tell beat and the workers are alive."""

from __future__ import annotations

from celery import shared_task

from ops import health


@shared_task(name="ops.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Record the time in the shared cache; idempotent, and harmless when run twice."""
    health.record_heartbeat()
