"""Path converters that keep malformed ids out of the views: a bad value is a 404, never a 500.

Django's ``int`` matches any run of digits, and an id past 2**63 - 1 makes SQLite raise
OverflowError (a 500) before the query runs.
"""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    """A database id: at most 18 digits, so it always fits a signed 64-bit integer."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int | str) -> str:
        return str(value)


class RevisionConverter:
    """A revision in Wagtail's comparison URLs: an id, or ``live``, ``earliest``, ``latest``."""

    regex = "live|earliest|latest|[0-9]{1,18}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: int | str) -> str:
        return str(value)


def register() -> None:
    """Called once, when the ops app is ready: before any URLconf is loaded."""
    register_converter(IdConverter, "id")
    register_converter(RevisionConverter, "revision")
