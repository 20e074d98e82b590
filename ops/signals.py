"""Celery signals: the task id in log lines, and a first heartbeat as soon as beat starts."""

from __future__ import annotations

import logging
from typing import Any

from celery.signals import beat_init, task_postrun, task_prerun

from ops import context

logger = logging.getLogger(__name__)
_tokens: dict[str, Any] = {}


@task_prerun.connect
def _bind_task_id(task_id: str | None = None, **_kwargs: Any) -> None:
    if task_id:
        _tokens[task_id] = context.task_id.set(task_id)


@task_postrun.connect
def _unbind_task_id(task_id: str | None = None, **_kwargs: Any) -> None:
    token = _tokens.pop(task_id or "", None)
    if token is not None:
        context.task_id.reset(token)


@beat_init.connect
def _first_heartbeat(sender: Any = None, **_kwargs: Any) -> None:
    """Without this, readiness would wait one whole interval after every start."""
    from config.celery import app

    try:
        app.send_task("ops.tasks.heartbeat")
    except Exception:  # the scheduled heartbeats follow once the broker is back
        logger.warning("Premier battement non envoyé : broker injoignable", exc_info=True)
