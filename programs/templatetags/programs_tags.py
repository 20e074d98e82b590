"""French dates as the hub writes them: « mardi 3 décembre 2026 à 18 h 00 »."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

register = template.Library()

PARIS = ZoneInfo("Europe/Paris")


def _in_paris(moment: datetime) -> datetime:
    return timezone.localtime(moment, PARIS) if timezone.is_aware(moment) else moment


def _day(value: date) -> str:
    with translation.override("fr"):
        text = format_date(value, "l j F Y")
    # French writes the first of the month as an ordinal: « 1er avril ».
    if value.day == 1:
        weekday, _day_number, rest = text.split(" ", 2)
        text = f"{weekday} 1er {rest}"
    return text


def _time(value: datetime) -> str:
    return f"{value.hour} h {value.minute:02d}"


@register.filter
def french_date(value: date | datetime | None) -> str:
    """« mardi 3 décembre 2026 », in Marseille's time for a datetime."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _in_paris(value)
    return _day(value)


@register.filter
def french_datetime(value: datetime | None) -> str:
    """« mardi 3 décembre 2026 à 18 h 00 », in Marseille's time."""
    if value is None or value == "":
        return ""
    value = _in_paris(value)
    return _("%(day)s à %(time)s") % {"day": _day(value), "time": _time(value)}


@register.filter
def french_time(value: datetime | None) -> str:
    """« 18 h 00 », in Marseille's time."""
    if value is None or value == "":
        return ""
    return _time(_in_paris(value))


@register.simple_tag
def date_range(start: datetime, end: datetime) -> str:
    """« mardi 3 décembre 2026 de 18 h 00 à 20 h 00 », or « du … au … » across days."""
    start, end = _in_paris(start), _in_paris(end)
    if start.date() == end.date():
        return _("%(day)s de %(start)s à %(end)s") % {
            "day": _day(start),
            "start": _time(start),
            "end": _time(end),
        }
    return _("du %(start)s au %(end)s") % {
        "start": french_datetime(start),
        "end": french_datetime(end),
    }


@register.simple_tag
def event_location(event: Any, hub: Any = None) -> Any:
    """The event's ``Location``; ``hub`` (the site settings) gives the hub's address to an
    event without its own."""
    return event.location(hub or None)


@register.simple_tag
def event_organiser(event: Any, hub: Any = None) -> Any:
    """The event's ``Organiser``, or the hub's contact from ``hub`` (the site settings)."""
    return event.organiser(hub or None)
