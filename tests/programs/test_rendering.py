"""Every page type of the programs app renders, in French, with a single h1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from django.test import Client
from django.utils import timezone

from programs.models import PartnerPage, ProgramPage
from tests.factories.programs import ContestEntryFactory

from .conftest import make_image

pytestmark = pytest.mark.django_db


def get_ok(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert html.count("<h1") == 1, url
    return html


def test_partner_pages__list_and_show_the_partner_with_its_programs(
    client, partner_index, cma: PartnerPage, make_program
) -> None:
    make_program("Formations gratuites pour artisans", partner=cma, slug="formations")
    cma.logo = make_image("Logo CMA")
    cma.save()
    assert "Chambre de métiers et de l&#x27;artisanat" in get_ok(client, partner_index.url)
    html = get_ok(client, cma.url)
    assert "(CMA)" in html
    assert "Formations gratuites pour artisans" in html
    assert "mailto:contact@cma.example" in html
    assert 'alt="Logo de Chambre de métiers et de l&#x27;artisanat"' in html


def test_program_index__lists_programs_and_filters_them_by_kind(
    client, program_index, make_program
) -> None:
    make_program("Formation comptabilité", kind="formation")
    make_program("Hébergement en atelier", kind="hebergement", is_free=False, price="200 € / mois")
    html = get_ok(client, program_index.url)
    assert "Formation comptabilité" in html and "Hébergement en atelier" in html
    assert "200 € / mois" in html
    filtered = get_ok(client, program_index.url + "?type=hebergement")
    assert "Hébergement en atelier" in filtered
    assert "Formation comptabilité" not in filtered
    # An empty action is invalid HTML (the Nu Html Checker says so): the filter names its page.
    assert f'<form class="filters" method="get" action="{program_index.url}">' in html


@pytest.mark.parametrize(
    "query", ["?type=inconnu", "?page=abc", "?page=-3", "?page=99999", "?type=&page=", "?page=1e9"]
)
def test_program_index__bad_parameters__are_ignored(client, program_index, make_program, query):
    make_program("Formation comptabilité")
    assert "Formation comptabilité" in get_ok(client, program_index.url + query)


def test_program_page__shows_kind_price_partner_and_upcoming_sessions(
    client, cma, make_program, make_event
) -> None:
    program = make_program(
        "Réunion d'information CMA",
        kind="reunion-information",
        partner=cma,
        audience="Porteurs de projet artisanal",
    )
    make_event("Séance de mars", start=timezone.now() + timedelta(days=3), program=program)
    make_event("Séance d'hier", start=timezone.now() - timedelta(days=1), program=program)
    html = get_ok(client, program.url)
    assert "Réunion d&#x27;information" in html
    assert "Gratuit" in html
    assert f'href="{cma.url}"' in html
    assert "Séance de mars" in html
    assert "Séance d&#x27;hier" not in html


@time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False)
def test_event_page__writes_dates_the_french_way_in_marseille_time(client, make_event) -> None:
    event = make_event(
        "Atelier financement",
        start=datetime(2026, 12, 8, 17, 0, tzinfo=UTC),
        capacity=25,
        registration_url="https://example.org/inscription",
    )
    html = get_ok(client, event.url)
    assert "mardi 8 décembre 2026 de 18 h 00 à 20 h 00" in html
    assert "25 places" in html
    assert 'href="https://example.org/inscription"' in html
    assert "Cet événement est passé" not in html


def test_event_page__past_event_stays_readable_without_registration(client, make_event) -> None:
    event = make_event(
        "Inauguration",
        start=timezone.now() - timedelta(days=30),
        registration_url="https://example.org/inscription",
    )
    html = get_ok(client, event.url)
    assert "Cet événement est passé" in html
    assert "https://example.org/inscription" not in html


def test_event_index__lists_upcoming_events_and_past_ones_on_their_own_page(
    client, event_index, make_event
) -> None:
    make_event("Demain", start=timezone.now() + timedelta(days=1))
    make_event("Le mois dernier", start=timezone.now() - timedelta(days=30))
    upcoming = get_ok(client, event_index.url)
    assert "Demain" in upcoming and "Le mois dernier" not in upcoming
    assert f'href="{event_index.url}passes/"' in upcoming
    past = get_ok(client, event_index.url + "passes/")
    assert "<h1>Événements passés</h1>" in past
    assert "Le mois dernier" in past and "Demain" not in past


@pytest.mark.parametrize("route", ["", "passes/"])
@pytest.mark.parametrize("query", ["?page=abc", "?page=0", "?page=99999", "?page=%00", "?page="])
def test_event_index__bad_page_numbers__still_answer_200(
    client, event_index, make_event, route, query
):
    make_event("Demain", start=timezone.now() + timedelta(days=1))
    html = get_ok(client, event_index.url + route + query)
    if route:
        assert "<h1>Événements passés</h1>" in html and "Demain" not in html
    else:
        assert "Demain" in html  # the first (and only) page of upcoming events


def test_event_index__unknown_route__is_a_404(client, event_index) -> None:
    assert client.get(event_index.url + "nulle-part/").status_code == 404


def test_event_index__paginates_by_twenty(client, event_index, make_event) -> None:
    start = timezone.now() + timedelta(days=1)
    for day in range(25):
        make_event(f"Séance n° {day + 1:02d}", start=start + timedelta(days=day))
    first = get_ok(client, event_index.url)
    assert "Séance n° 20" in first and "Séance n° 21" not in first
    assert "Page 1 sur 2" in first
    second = get_ok(client, event_index.url + "?page=2")
    assert "Séance n° 21" in second and "Séance n° 25" in second


def test_contest_page__lists_competing_residents_in_order_with_links(
    client, members, make_contest
) -> None:
    now = timezone.now()
    contest = make_contest(now - timedelta(days=1), now + timedelta(days=10))
    bocaux, medinscop = members
    ContestEntryFactory(contest=contest, member=medinscop, sort_order=1)
    ContestEntryFactory(contest=contest, member=bocaux, sort_order=0, project="Bocaux bio")
    html = get_ok(client, contest.url)
    assert html.index(bocaux.url) < html.index(medinscop.url)
    assert "Bocaux bio" in html
    assert 'href="https://lafabrique.aviva.fr/vote"' in html
    assert "Le vote : ouvert" in html


def test_contest_index__sorts_contests_into_open_upcoming_and_closed(
    client, contest_index, members, make_contest
) -> None:
    now = timezone.now()
    make_contest(now - timedelta(days=1), now + timedelta(days=1), title="Ouvert maintenant")
    make_contest(now + timedelta(days=5), now + timedelta(days=9), title="Bientôt")
    make_contest(now - timedelta(days=9), now - timedelta(days=5), title="Fini")
    html = get_ok(client, contest_index.url + "?page=nope")
    open_at, upcoming_at, closed_at = (
        html.index("Ouvert maintenant"),
        html.index("Bientôt"),
        html.index("Fini"),
    )
    assert html.index("Votes ouverts") < open_at < html.index("À venir") < upcoming_at
    assert html.index("Concours passés") < closed_at


def test_program_with_a_deleted_partner__still_renders(client, cma, make_program) -> None:
    program = make_program("Formation", partner=cma)
    cma.delete()
    program = ProgramPage.objects.get(pk=program.pk)
    assert program.partner is None
    get_ok(client, program.url)
