"""The agenda's page of events kept whole as one fragment (page cache off, fragments on):
stored, it costs no query; an event published, withdrawn or over by the clock, and a new page
of events, show at once, upcoming and past."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import time_machine

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programs.models import EventIndexPage, EventPage

from .test_agenda_cards import agenda, listed_events

pytestmark = pytest.mark.django_db

MakeEvent = Callable[..., EventPage]


@pytest.fixture(autouse=True)
def fragments_only(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGECACHE_ENABLED = False
    settings.PAGECACHE_FRAGMENTS = True


def fill_a_page(make_event: MakeEvent) -> None:
    """Exactly one page of upcoming events, all sooner than any added later in the test."""
    for n in range(EventIndexPage.per_page):
        make_event(f"Séance {n:02d}", start=timezone.now() + timedelta(days=n + 1))


def test_agenda__stored_page_of_events__costs_no_query(
    client: Client, event_index: EventIndexPage, make_event: MakeEvent
) -> None:
    make_event("Atelier compta")
    make_event("Atelier passé", start=timezone.now() - timedelta(days=3))
    for url in (event_index.url, f"{event_index.url}passes/", f"{event_index.url}?page=1"):
        with CaptureQueriesContext(connection) as rendered:
            first = agenda(client, url)
        assert any("programs_eventpage" in q["sql"] for q in rendered), url
        with CaptureQueriesContext(connection) as stored:
            assert agenda(client, url) == first
        assert len(stored) == 0, url


def test_agenda__shows_a_newly_published_event_and_a_new_page_of_events(
    client: Client, event_index: EventIndexPage, make_event: MakeEvent
) -> None:
    fill_a_page(make_event)
    agenda(client, event_index.url)
    assert 'rel="next"' not in agenda(client, event_index.url)

    make_event("Dernière séance", start=timezone.now() + timedelta(days=60))
    assert 'rel="next"' in agenda(client, event_index.url)
    assert listed_events(agenda(client, f"{event_index.url}?page=2")) == ["Dernière séance"]


def test_agenda__drops_an_event_that_ends_by_the_clock_into_the_past_events(
    client: Client, event_index: EventIndexPage, make_event: MakeEvent
) -> None:
    now = timezone.now()
    soon_over = make_event("Atelier du matin", start=now - timedelta(hours=1))
    make_event("Réunion d'accueil", start=now + timedelta(days=9))
    past = f"{event_index.url}passes/"
    for url in (event_index.url, past):
        agenda(client, url)
    assert listed_events(agenda(client, event_index.url)) == [
        "Atelier du matin",
        "Réunion d&#x27;accueil",
    ]
    assert listed_events(agenda(client, past)) == []

    with time_machine.travel(soon_over.end + timedelta(minutes=1), tick=False):
        assert listed_events(agenda(client, event_index.url)) == ["Réunion d&#x27;accueil"]
        assert listed_events(agenda(client, past)) == ["Atelier du matin"]


def test_agenda__drops_an_event_unpublished_from_another_page_of_events(
    client: Client, event_index: EventIndexPage, make_event: MakeEvent
) -> None:
    fill_a_page(make_event)
    last = make_event("Dernière séance", start=timezone.now() + timedelta(days=60))
    agenda(client, event_index.url)
    assert 'rel="next"' in agenda(client, event_index.url)

    EventPage.objects.get(pk=last.pk).unpublish()
    assert 'rel="next"' not in agenda(client, event_index.url)
