"""Reading parts of a rendered page in tests."""

from __future__ import annotations


def fragment(html: str, start: str, end: str = "") -> str:
    """The part of ``html`` from ``start`` up to the first ``end`` after it (or to the end)."""
    rest = html[html.index(start) :]
    return rest[: rest.index(end)] if end else rest


def main_menu(html: str) -> str:
    return fragment(html, 'aria-label="Menu principal"', "</nav>")
