"""Dates and numbers written the way a French reader expects them, in Europe/Paris time
whatever the server's clock: « mardi 3 décembre 2026 à 18 h 00 », « 1 800 m² ».

Templates use them as filters (``core.templatetags.carburateur_tags``); models use them for the
sentences they generate (a page's description, a calendar entry).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, overload

from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

NBSP = "\xa0"


@overload
def _local(value: dt.datetime) -> dt.datetime: ...
@overload
def _local(value: dt.date) -> dt.date: ...
def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """A datetime in the site's time zone (naive ones are taken as already local)."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            return value
        return timezone.localtime(value)
    return value


def _day(value: dt.date) -> str:
    """The day of the month, « 1er » on the first as French writes it."""
    return _("1er") if value.day == 1 else str(value.day)


def _format(value: dt.date, fmt: str) -> str:
    with translation.override("fr"):
        return dateformat.format(value, fmt)


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date)


def date_fr(value: Any, with_year: bool = True) -> str:
    """« mardi 3 décembre 2026 » (« mardi 3 décembre » with ``with_year`` false)."""
    if not _is_date(value):
        return ""
    value = _local(value)
    text = f"{_format(value, 'l')} {_day(value)} {_format(value, 'F')}"
    return f"{text} {value.year}" if with_year else text


def short_date_fr(value: Any, with_year: bool = True) -> str:
    """« 1er septembre 2017 », without the weekday (« 1er septembre » with ``with_year`` false):
    for dates that are not appointments, such as a publication or an arrival."""
    if not _is_date(value):
        return ""
    value = _local(value)
    text = f"{_day(value)} {_format(value, 'F')}"
    return f"{text} {value.year}" if with_year else text


def time_fr(value: Any) -> str:
    """« 18 h 00 »."""
    if not isinstance(value, dt.datetime | dt.time):
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return f"{value.hour} h {value.minute:02d}"


def datetime_fr(value: Any) -> str:
    """« mardi 3 décembre 2026 à 18 h 00 »."""
    if not isinstance(value, dt.datetime):
        return date_fr(value)
    return _("%(date)s à %(time)s") % {"date": date_fr(value), "time": time_fr(value)}


def until_fr(value: Any) -> str:
    """« jusqu'au vendredi 11 avril à 23 h 59 »; the year shows only if it is not this one."""
    if not isinstance(value, dt.datetime):
        return ""
    local = _local(value)
    same_year = local.year == timezone.localdate().year
    return _("jusqu'au %(date)s à %(time)s") % {
        "date": date_fr(local, with_year=not same_year),
        "time": time_fr(local),
    }


def datetime_range_fr(start: Any, end: Any) -> str:
    """« mardi 3 décembre 2026 de 18 h 00 à 20 h 00 », or both full dates over several days."""
    if not isinstance(start, dt.datetime):
        return ""
    if not isinstance(end, dt.datetime):
        return datetime_fr(start)
    start_local, end_local = _local(start), _local(end)
    if start_local.date() == end_local.date():
        return _("%(date)s de %(start)s à %(end)s") % {
            "date": date_fr(start_local),
            "start": time_fr(start_local),
            "end": time_fr(end_local),
        }
    return _("du %(start)s au %(end)s") % {
        "start": datetime_fr(start_local),
        "end": datetime_fr(end_local),
    }


def number_fr(value: Any) -> str:
    """« 1 800 »: thousands grouped with a non-breaking space, as French writes numbers."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    return f"{number:,}".replace(",", NBSP)


def area_fr(value: Any) -> str:
    """« 1 800 m² », never broken across two lines."""
    number = number_fr(value)
    return f"{number}{NBSP}m²" if number else ""


def phone_uri(number: str) -> str:
    """A phone number as written (« 04 91 32 24 24 ») as a ``tel:`` link target: its digits and
    a leading +; empty when it has none."""
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    return f"tel:{digits}" if digits else ""
