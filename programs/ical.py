"""The hub's events as iCalendar (RFC 5545), written with icalendar: a feed and a download.

icalendar escapes TEXT values and folds lines at 75 octets; times are written in UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar

PRODID = "-//Le Carburateur//Agenda//FR"

# TEXT may hold no control character but horizontal tab (RFC 5545, 3.3.11); icalendar lets
# them through, so they are dropped here (line breaks are kept: icalendar escapes them).
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """A TEXT value without the control characters RFC 5545 forbids, with \\n line breaks."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", value)


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

    def as_component(self) -> icalendar.Event:
        """This event as an icalendar VEVENT, its times in UTC."""
        event = icalendar.Event()
        event.add("uid", self.uid)
        event.add("dtstamp", self.stamp.astimezone(UTC))
        event.add("last-modified", self.stamp.astimezone(UTC))
        event.add("dtstart", self.start.astimezone(UTC))
        event.add("dtend", self.end.astimezone(UTC))
        event.add("summary", clean_text(self.summary))
        if self.description:
            event.add("description", clean_text(self.description))
        if self.location:
            event.add("location", clean_text(self.location))
        if self.url:
            event.add("url", self.url)
        event.add("status", "CONFIRMED")
        return event


def render_calendar(events: Iterable[CalendarEvent], name: str) -> str:
    """A whole VCALENDAR object holding ``events``, ready to be served as text/calendar."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", clean_text(name))
    calendar.add("x-wr-timezone", "Europe/Paris")
    for event in events:
        calendar.add_component(event.as_component())
    return calendar.to_ical().decode("utf-8")
