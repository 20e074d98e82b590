"""The agenda's event cards, each kept as a fragment (page cache off, fragments on): an edit
of an event or of its program shows at once, an unpublished event leaves, and a page of cards
costs the same queries for N events as for 3N, stored or not."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pagecache import bump, page_tags
from programs.models import EventIndexPage, EventPage, ProgramPage

from .test_queries import EVENT_LISTING_MAX_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_only(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGECACHE_ENABLED = False
    settings.PAGECACHE_FRAGMENTS = True


def agenda(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def listed_events(html: str) -> list[str]:
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)


def publish_change(page: EventPage | ProgramPage, **fields: object) -> None:
    page = type(page).objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_agenda_card__shows_a_published_edit_at_once(
    client, event_index: EventIndexPage, make_event: Callable[..., EventPage]
) -> None:
    event = make_event("Atelier compta", place="Salle 1")
    make_event("Réunion d'accueil", start=timezone.now() + timedelta(days=9))
    agenda(client, event_index.url)
    assert "Salle 1" in agenda(client, event_index.url)  # from the stored card

    publish_change(event, title="Atelier comptabilité", place="Salle 2")
    html = agenda(client, event_index.url)
    assert listed_events(html) == ["Atelier comptabilité", "Réunion d&#x27;accueil"]
    assert "Salle 2" in html
    assert "Salle 1" not in html


def test_agenda_card__shows_its_program_renamed(
    client,
    event_index: EventIndexPage,
    make_event: Callable[..., EventPage],
    make_program: Callable[..., ProgramPage],
) -> None:
    """The program is loaded with the event, not by the card: the card still depends on it."""
    program = make_program("Formation gestion")
    make_event("Atelier compta", program=program)
    agenda(client, event_index.url)
    assert "Programme : Formation gestion" in agenda(client, event_index.url)
    publish_change(program, title="Formation gestion d'entreprise")
    assert "Programme : Formation gestion d&#x27;entreprise" in agenda(client, event_index.url)


def test_agenda__drops_an_unpublished_event_s_card(
    client, event_index: EventIndexPage, make_event: Callable[..., EventPage]
) -> None:
    event = make_event("Atelier compta")
    make_event("Réunion d'accueil", start=timezone.now() + timedelta(days=9))
    assert len(listed_events(agenda(client, event_index.url))) == 2
    EventPage.objects.get(pk=event.pk).unpublish()
    assert listed_events(agenda(client, event_index.url)) == ["Réunion d&#x27;accueil"]


def test_agenda__costs_the_same_queries_for_n_or_3n_events_stored_or_not(
    client,
    settings,
    event_index: EventIndexPage,
    make_event: Callable[..., EventPage],
    make_program: Callable[..., ProgramPage],
) -> None:
    program = make_program("Formation")
    per_page = EventIndexPage.per_page

    def add_events(count: int) -> None:
        for n in range(count):
            make_event(f"Séance {n}", start=timezone.now() + timedelta(days=n + 1), program=program)

    def counts() -> tuple[int, int, str]:
        agenda(client, event_index.url)
        # Every event changed: no card stored is fresh, the site-wide caches are.
        bump(*page_tags(EventPage.objects.values_list("pk", flat=True)))
        with CaptureQueriesContext(connection) as missed:
            rendered = agenda(client, event_index.url)
        with CaptureQueriesContext(connection) as stored:
            assert agenda(client, event_index.url) == rendered
        return len(missed), len(stored), rendered

    add_events(per_page)
    *with_n, rendered = counts()
    settings.PAGECACHE_FRAGMENTS = False
    assert agenda(client, event_index.url) == rendered
    settings.PAGECACHE_FRAGMENTS = True
    add_events(2 * per_page)
    *with_3n, _ = counts()
    assert with_3n == with_n
    assert with_n[0] <= EVENT_LISTING_MAX_QUERIES
    assert with_n[1] <= with_n[0]
