"""The agenda's iCalendar feed and per-event download follow RFC 5545."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from django.utils import timezone

from programs.ical import escape_text, fold

from .ics import parse_events, unescape, unfold

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DATETIME_UTC = re.compile(r"^\d{8}T\d{6}Z$")


def assert_lines_fit_in_75_octets(raw: bytes) -> None:
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never cuts a character in two


def test_fold__splits_at_75_octets_and_never_inside_a_character() -> None:
    line = "DESCRIPTION:" + "é" * 100
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece.removeprefix(" ") if i else piece for i, piece in enumerate(pieces)) == (
        line
    )


def test_fold__leaves_short_lines_alone() -> None:
    assert fold("SUMMARY:Court") == "SUMMARY:Court"
    assert len(fold("X:" + "a" * 73)) == 75


def test_escape_text__escapes_backslash_comma_semicolon_and_newlines() -> None:
    assert escape_text("a\\b, c; d\r\ne\rf\ng") == "a\\\\b\\, c\\; d\\ne\\nf\\ng"
    assert escape_text("bip\x07") == "bip"


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
