"""The agenda's iCalendar feed and per-event download follow RFC 5545."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
import time_machine

from django.utils import timezone

from programs.ical import CalendarEvent, render_calendar

from .ics import parse_events, unescape, unfold

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DATETIME_UTC = re.compile(r"^\d{8}T\d{6}Z$")


def assert_lines_fit_in_75_octets(raw: bytes) -> None:
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never cuts a character in two


def calendar_of(summary: str = "Atelier", description: str = "") -> bytes:
    paris_in_winter = timezone.get_fixed_timezone(60)
    event = CalendarEvent(
        uid="u@example.org",
        start=datetime(2026, 12, 8, 18, 0, tzinfo=paris_in_winter),
        end=datetime(2026, 12, 8, 20, 0, tzinfo=paris_in_winter),
        stamp=NOW,
        summary=summary,
        description=description,
    )
    return render_calendar([event], "Agenda").encode()


def test_calendar__folds_long_lines_at_75_octets_never_inside_a_character() -> None:
    description = "é" * 100 + " fin"
    raw = calendar_of(description=description)
    assert_lines_fit_in_75_octets(raw)
    assert any(line.startswith(b" ") for line in raw.split(b"\r\n"))
    [event] = icalendar.Calendar.from_ical(raw).events
    assert event["DESCRIPTION"] == description


def test_calendar__escapes_text_and_drops_control_characters() -> None:
    raw = calendar_of(summary="a\\b, c; d\r\ne\rf\ng bip\x07")
    [vevent] = parse_events(raw)
    assert vevent["SUMMARY"] == "a\\\\b\\, c\\; d\\ne\\nf\\ng bip"
    [event] = icalendar.Calendar.from_ical(raw).events
    assert event["SUMMARY"] == "a\\b, c; d\ne\nf\ng bip"


def test_calendar__writes_times_in_utc() -> None:
    [vevent] = parse_events(calendar_of())
    assert vevent["DTSTART"] == "20261208T170000Z"
    assert vevent["DTEND"] == "20261208T190000Z"
    assert vevent["DTSTAMP"] == "20261201T090000Z"


@time_machine.travel(NOW, tick=False)
def test_feed__lists_upcoming_and_recent_events_with_every_required_field(
    client, event_index, make_program, make_event
) -> None:
    program = make_program("Formation gestion")
    event = make_event(
        "Atelier : prix, marges; trésorerie",
        start=datetime(2026, 12, 8, 17, 0, tzinfo=UTC),
        place="Salle 2, Le Carburateur; Marseille",
        summary="Première ligne.\nDeuxième ligne, avec virgule. " + "Très long texte. " * 12,
        registration_url="https://example.org/inscription?a=1,2",
        program=program,
    )
    make_event("Il y a un mois", start=NOW - timedelta(days=30))
    make_event("Il y a un an", start=NOW - timedelta(days=365))
    draft = make_event("Brouillon", start=NOW + timedelta(days=3))
    draft.unpublish()

    response = client.get(event_index.url + "ical/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="agenda-le-carburateur.ics"' in response["Content-Disposition"]
    raw = response.content
    assert_lines_fit_in_75_octets(raw)
    lines = unfold(raw)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:") for line in lines)

    events = parse_events(raw)
    assert [unescape(e["SUMMARY"]) for e in events] == [
        "Il y a un mois",
        "Atelier : prix, marges; trésorerie",
    ]
    vevent = events[1]
    assert vevent["SUMMARY"] == "Atelier : prix\\, marges\\; trésorerie"
    assert vevent["DTSTART"] == "20261208T170000Z"
    assert vevent["DTEND"] == "20261208T190000Z"
    assert DATETIME_UTC.match(vevent["DTSTAMP"])
    assert vevent["UID"] == event.uid
    assert unescape(vevent["LOCATION"]) == "Salle 2, Le Carburateur; Marseille"
    description = unescape(vevent["DESCRIPTION"])
    assert description.startswith("Première ligne.\nDeuxième ligne, avec virgule.")
    assert description.endswith("Inscription : https://example.org/inscription?a=1,2")
    assert vevent["URL"] == event.get_full_url()

    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["PRODID"] == "-//Le Carburateur//Agenda//FR"
    parsed = calendar.events[1]
    assert parsed["SUMMARY"] == "Atelier : prix, marges; trésorerie"
    assert parsed["LOCATION"] == "Salle 2, Le Carburateur; Marseille"
    assert parsed.start == datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    assert parsed.end == datetime(2026, 12, 8, 19, 0, tzinfo=UTC)
    assert parsed["DESCRIPTION"] == description


@time_machine.travel(NOW, tick=False)
def test_feed__uid_stays_the_same_when_the_event_is_renamed(client, event_index, make_event):
    event = make_event("Avant", start=NOW + timedelta(days=2))
    first = parse_events(client.get(event_index.url + "ical/").content)[0]["UID"]
    event.title, event.slug = "Après", "apres"
    event.save_revision().publish()
    second = parse_events(client.get(event_index.url + "ical/").content)[0]
    assert second["UID"] == first
    assert second["SUMMARY"] == "Après"


def test_feed__is_a_valid_empty_calendar_without_events(client, event_index) -> None:
    lines = unfold(client.get(event_index.url + "ical/").content)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "BEGIN:VEVENT" not in lines


def test_event_download__holds_that_one_event(client, make_event) -> None:
    event = make_event("Rendez-vous expert", start=timezone.now() + timedelta(days=1))
    make_event("Autre", start=timezone.now() + timedelta(days=2))
    response = client.get(event.url + "ical/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="{event.slug}.ics"' in response["Content-Disposition"]
    events = parse_events(response.content)
    assert [e["UID"] for e in events] == [event.uid]
    html = client.get(event.url).content.decode()
    assert f'href="{event.url}ical/"' in html


def test_event_download__past_events_too(client, make_event) -> None:
    event = make_event("Il y a longtemps", start=timezone.now() - timedelta(days=800))
    assert len(parse_events(client.get(event.url + "ical/").content)) == 1
