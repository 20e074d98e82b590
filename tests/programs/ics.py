"""Reading iCalendar streams in tests: unfolding, unescaping, the events and their properties."""

from __future__ import annotations

import re


def unfold(raw: bytes) -> list[str]:
    """Content lines of an iCalendar stream, unfolded as RFC 5545 section 3.1 says."""
    text = raw.decode("utf-8")
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", ""), "a line ends without CR"
    return re.sub(r"\r\n[ \t]", "", text).split("\r\n")[:-1]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def parse_events(raw: bytes) -> list[dict[str, str]]:
    """Every VEVENT as a dict of property name to raw (still escaped) value."""
    events: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(raw):
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            events.append(current)
            current = None
        elif current is not None:
            current[name.split(";")[0]] = value
    return events
