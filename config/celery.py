"""The Celery application, configured from Django settings (``CELERY_*``)."""

from __future__ import annotations

import os

from celery import Celery, Task, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("carburateur")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
def _drop_broken_database_connections(task: Task | None = None, **_kwargs: object) -> None:
    """Before each task, close a connection that failed or outlived CONN_MAX_AGE.

    Connections are kept between tasks (``CELERY_DB_REUSE_MAX``); this is what Django does at
    the start of each request, so a restarted PostgreSQL costs one failed query, not the next
    tasks as well.
    """
    if task is not None and getattr(task.request, "is_eager", False):
        return  # run inside its caller (tests, CELERY_TASK_ALWAYS_EAGER): its connection
    from django.db import close_old_connections

    close_old_connections()
