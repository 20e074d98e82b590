"""French dates as the hub writes them, in Marseille's time whatever the server's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.template import Context, Template

from programs.templatetags.programs_tags import (
    date_range,
    french_date,
    french_datetime,
    french_time,
)


def test_french_datetime__weekday_day_month_year_and_hour() -> None:
    # 17:00 UTC in December is 18:00 in Marseille.
    assert french_datetime(datetime(2026, 12, 8, 17, 0, tzinfo=UTC)) == (
        "mardi 8 décembre 2026 à 18 h 00"
    )


def test_french_datetime__summer_time_and_first_of_the_month() -> None:
    assert french_datetime(datetime(2027, 4, 1, 7, 5, tzinfo=UTC)) == (
        "jeudi 1er avril 2027 à 9 h 05"
    )


def test_french_date__plain_date_and_datetime() -> None:
    assert french_date(date(2026, 12, 3)) == "jeudi 3 décembre 2026"
    # 23:30 UTC on 31 December is already 1 January in Marseille.
    assert french_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "vendredi 1er janvier 2027"
    assert french_date(None) == "" and french_datetime(None) == "" and french_time(None) == ""


def test_date_range__same_day_and_across_days() -> None:
    start = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    assert date_range(start, datetime(2026, 12, 8, 19, 30, tzinfo=UTC)) == (
        "mardi 8 décembre 2026 de 18 h 00 à 20 h 30"
    )
    assert date_range(start, datetime(2026, 12, 9, 16, 0, tzinfo=UTC)) == (
        "du mardi 8 décembre 2026 à 18 h 00 au mercredi 9 décembre 2026 à 17 h 00"
    )


def test_filters__usable_from_templates() -> None:
    rendered = Template("{% load programs_tags %}{{ when|french_datetime }}").render(
        Context({"when": datetime(2026, 12, 8, 17, 0, tzinfo=UTC)})
    )
    assert rendered == "mardi 8 décembre 2026 à 18 h 00"
