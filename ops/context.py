"""The task being handled, for log lines (a contextvar: safe with threads).

The request's id is django-guid's (``django_guid.context.guid``).
"""

from __future__ import annotations

from contextvars import ContextVar

task_id: ContextVar[str] = ContextVar("task_id", default="")
