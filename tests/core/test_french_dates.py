"""French dates and numbers in templates, in Europe/Paris time across daylight-saving changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.template import Context, Template

from core.templatetags.carburateur_tags import (
    area_fr,
    date_fr,
    datetime_fr,
    datetime_range_fr,
    number_fr,
    short_date_fr,
    time_fr,
    until_fr,
)

UTC = dt.UTC
PARIS = ZoneInfo("Europe/Paris")


def test_datetime_fr__writes_weekday_day_month_year_and_time() -> None:
    value = dt.datetime(2026, 12, 3, 17, 0, tzinfo=UTC)  # 18 h in Paris (winter, UTC+1)
    assert datetime_fr(value) == "jeudi 3 décembre 2026 à 18 h 00"


def test_datetime_fr__first_of_the_month_is_1er() -> None:
    assert date_fr(dt.date(2026, 12, 1)) == "mardi 1er décembre 2026"


def test_short_date_fr__day_month_year_without_weekday_and_1er() -> None:
    assert short_date_fr(dt.date(2017, 9, 1)) == "1er septembre 2017"
    assert short_date_fr(dt.date(2017, 9, 2)) == "2 septembre 2017"
    assert short_date_fr(dt.date(2017, 9, 1), False) == "1er septembre"
    assert short_date_fr(None) == ""


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # 28 March 2027: clocks go from 2 h to 3 h in Paris at 01:00 UTC.
        (dt.datetime(2027, 3, 28, 0, 30, tzinfo=UTC), "dimanche 28 mars 2027 à 1 h 30"),
        (dt.datetime(2027, 3, 28, 1, 0, tzinfo=UTC), "dimanche 28 mars 2027 à 3 h 00"),
        (dt.datetime(2027, 3, 28, 16, 0, tzinfo=UTC), "dimanche 28 mars 2027 à 18 h 00"),
        (dt.datetime(2027, 3, 27, 23, 30, tzinfo=UTC), "dimanche 28 mars 2027 à 0 h 30"),
        # 31 October 2027: back from 3 h to 2 h at 01:00 UTC.
        (dt.datetime(2027, 10, 31, 0, 30, tzinfo=UTC), "dimanche 31 octobre 2027 à 2 h 30"),
        (dt.datetime(2027, 10, 31, 1, 30, tzinfo=UTC), "dimanche 31 octobre 2027 à 2 h 30"),
        (dt.datetime(2027, 10, 31, 22, 59, tzinfo=UTC), "dimanche 31 octobre 2027 à 23 h 59"),
    ],
)
def test_datetime_fr__uses_paris_time_across_daylight_saving(utc, expected) -> None:
    assert datetime_fr(utc) == expected


def test_datetime_fr__same_instant_in_any_time_zone_reads_the_same() -> None:
    in_paris = dt.datetime(2027, 3, 28, 18, 0, tzinfo=PARIS)
    in_new_york = in_paris.astimezone(ZoneInfo("America/New_York"))
    assert datetime_fr(in_new_york) == datetime_fr(in_paris) == "dimanche 28 mars 2027 à 18 h 00"


@time_machine.travel(dt.datetime(2027, 2, 1, 12, 0, tzinfo=PARIS), tick=False)
def test_until_fr__omits_this_year() -> None:
    closing = dt.datetime(2027, 4, 11, 23, 59, tzinfo=PARIS)
    assert until_fr(closing) == "jusqu'au dimanche 11 avril à 23 h 59"


@time_machine.travel(dt.datetime(2026, 12, 20, 12, 0, tzinfo=PARIS), tick=False)
def test_until_fr__gives_the_year_when_it_is_not_this_one() -> None:
    closing = dt.datetime(2027, 4, 11, 21, 59, tzinfo=UTC)  # 23 h 59 in Paris (summer time)
    assert until_fr(closing) == "jusqu'au dimanche 11 avril 2027 à 23 h 59"


def test_datetime_range_fr__same_day_and_several_days() -> None:
    start = dt.datetime(2026, 12, 3, 18, 0, tzinfo=PARIS)
    assert (
        datetime_range_fr(start, start + dt.timedelta(hours=2))
        == "jeudi 3 décembre 2026 de 18 h 00 à 20 h 00"
    )
    assert datetime_range_fr(start, start + dt.timedelta(days=1)) == (
        "du jeudi 3 décembre 2026 à 18 h 00 au vendredi 4 décembre 2026 à 18 h 00"
    )
    assert datetime_range_fr(start, None) == "jeudi 3 décembre 2026 à 18 h 00"


def test_time_fr__accepts_times_and_datetimes() -> None:
    assert time_fr(dt.time(9, 5)) == "9 h 05"
    assert time_fr(dt.datetime(2027, 7, 14, 20, 0, tzinfo=UTC)) == "22 h 00"


@pytest.mark.parametrize("value", [None, "", "demain", 42])
def test_date_filters__render_nothing_for_non_dates(value) -> None:
    assert date_fr(value) == datetime_fr(value) == until_fr(value) == time_fr(value) == ""


def test_numbers__are_grouped_with_non_breaking_spaces() -> None:
    assert number_fr(1800) == "1\xa0800"
    assert number_fr(1234567) == "1\xa0234\xa0567"
    assert area_fr(1800) == "1\xa0800\xa0m²"
    assert area_fr("abc") == number_fr(None) == ""


def test_filters__work_in_templates() -> None:
    template = Template(
        "{% load carburateur_tags %}{{ start|datetime_fr }} / {{ start|date_fr:False }}"
        " / {{ surface|area_fr }}"
    )
    rendered = template.render(
        Context({"start": dt.datetime(2026, 12, 3, 18, 0, tzinfo=PARIS), "surface": 1800})
    )
    assert rendered == "jeudi 3 décembre 2026 à 18 h 00 / jeudi 3 décembre / 1\xa0800\xa0m²"
