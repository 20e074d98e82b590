"""Structured logs: one JSON object a line, with request and task ids, addresses masked.

The formatter (python-json-logger) and the filters need no Django setup, so they also serve
gunicorn's own loggers (``config/gunicorn.py``).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from django_guid.context import guid
from pythonjsonlogger import json as jsonlogger

from ops import context

EMAIL = re.compile(
    r"(?P<first>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]*"
    r"@(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+)"
)


def mask_emails(text: str) -> str:
    """Replace each address by its first character and domain: ``j***@example.org``."""
    return EMAIL.sub(lambda match: f"{match['first']}***@{match['domain']}", text)


def _masked(value: Any) -> Any:
    """``value`` with every address masked, looking inside dicts, lists and tuples."""
    if isinstance(value, str):
        return mask_emails(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return mask_emails(str(value))


class MaskEmailsFilter(logging.Filter):
    """Format the message now and mask every address in it (message and arguments alike).

    Formatting here, rather than masking each argument, also catches objects whose ``str()``
    is an address, such as a subscriber.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what there is, masked
            message = f"{record.msg} {record.args}"
        record.msg = mask_emails(message)
        record.args = None
        return True


class ContextFilter(logging.Filter):
    """Add ``request_id`` (django-guid's) and ``task_id`` (empty outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = guid.get() or ""
        record.task_id = context.task_id.get()
        return True


class JsonFormatter(jsonlogger.JsonFormatter):
    """One JSON object a line: time, level, logger, message, ids, extras, exception.

    python-json-logger writes the fields and the extras; every value is masked here.
    """

    def __init__(self) -> None:
        super().__init__(
            "{asctime}{levelname}{name}{message}{request_id}{task_id}{process}",
            style="{",
            rename_fields={
                "asctime": "time",
                "levelname": "level",
                "name": "logger",
                "exc_info": "exception",
            },
            json_ensure_ascii=False,
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        # Records that skipped the context filter (a handler configured elsewhere) get the ids.
        record.request_id = getattr(record, "request_id", "") or guid.get() or ""
        record.task_id = getattr(record, "task_id", "") or context.task_id.get()
        super().add_fields(log_data, record, message_dict)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: _masked(value) for key, value in log_data.items()}


def logging_config(level: str, json_lines: bool) -> dict[str, Any]:
    """The ``LOGGING`` dict: every record goes through the masking and context filters."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "ops.logs.ContextFilter"},
            "mask_emails": {"()": "ops.logs.MaskEmailsFilter"},
        },
        "formatters": {
            "json": {"()": "ops.logs.JsonFormatter"},
            "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json" if json_lines else "text",
                "filters": ["context", "mask_emails"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # django-guid says at INFO, for every request, whether the proxy sent an id.
            "django_guid": {"level": "WARNING"},
        },
    }
