"""A django-tasks backend that hands Wagtail's own background tasks to Celery.

Wagtail 8 defers work such as search-index updates and rendition generation through
``django_tasks``. Routing them through the same Celery workers as our own tasks means one
queue to run and monitor, and no work done in the web request.
"""

from __future__ import annotations

from typing import Any

from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

from django.utils import timezone


class CeleryBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = False

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        from .tasks import run_django_task

        self.validate_task(task)
        result: TaskResult[Any] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        run_django_task.delay(task.module_path, list(args), dict(kwargs))
        return result
