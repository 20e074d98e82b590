"""Structured logs: one JSON object a line, with request and task ids, addresses masked.

Only the standard library is used, so the formatter and filters also serve gunicorn's own
loggers (``config/gunicorn.py``) before Django is set up.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from ops import context

EMAIL = re.compile(
    r"(?P<first>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-])[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]*"
    r"@(?P<domain>[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+)"
)

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is kept.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


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
    """Add ``request_id`` and ``task_id`` (empty outside a request or a task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = context.request_id.get()
        record.task_id = context.task_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, ids, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_emails(record.getMessage()),
            "request_id": getattr(record, "request_id", "") or context.request_id.get(),
            "task_id": getattr(record, "task_id", "") or context.task_id.get(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry:
                entry[key] = _masked(value)
        if record.exc_info:
            entry["exception"] = mask_emails(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = mask_emails(record.exc_text)
        return json.dumps(entry, ensure_ascii=False)


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
        "loggers": {"django.db.backends": {"level": "INFO"}},
    }
