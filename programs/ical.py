"""A small iCalendar (RFC 5545) writer for the hub's events: enough for a feed and a download.

Every line ends with CRLF and is folded at 75 octets (never inside a UTF-8 character); TEXT
values escape backslashes, commas, semicolons and newlines; times are written in UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"
MAX_LINE_OCTETS = 75
PRODID = "-//Le Carburateur//Agenda//FR"

# TEXT may hold no control character but horizontal tab (RFC 5545, 3.3.11).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and every kind of line break."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL_CHARACTERS.sub("", value)
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into CRLF-joined pieces of at most 75 octets each.

    Continuation pieces start with one space, which counts towards their 75 octets.
    """
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [" "], 1, MAX_LINE_OCTETS
        current.append(char)
        size += width
    pieces.append("".join(current))
    return CRLF.join(pieces)


def format_utc(moment: datetime) -> str:
    """An aware datetime as an iCalendar UTC DATE-TIME, such as 20261203T170000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class CalendarEvent:
    """What a VEVENT says about one event of the agenda."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    stamp: datetime
    description: str = ""
    location: str = ""
    url: str = ""

    def lines(self) -> list[str]:
        lines = [
            "BEGIN:VEVENT",
            f"UID:{self.uid}",
            f"DTSTAMP:{format_utc(self.stamp)}",
            f"LAST-MODIFIED:{format_utc(self.stamp)}",
            f"DTSTART:{format_utc(self.start)}",
            f"DTEND:{format_utc(self.end)}",
            f"SUMMARY:{escape_text(self.summary)}",
        ]
        if self.description:
            lines.append(f"DESCRIPTION:{escape_text(self.description)}")
        if self.location:
            lines.append(f"LOCATION:{escape_text(self.location)}")
        if self.url:
            # URL is of type URI, which is not escaped like TEXT.
            lines.append(f"URL:{self.url}")
        lines += ["STATUS:CONFIRMED", "END:VEVENT"]
        return lines


def render_calendar(events: Iterable[CalendarEvent], name: str) -> str:
    """A whole VCALENDAR object holding ``events``, ready to be served as text/calendar."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Europe/Paris",
    ]
    for event in events:
        lines += event.lines()
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
