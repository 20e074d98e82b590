"""Pages that connect the hub's content: a partner's page lists what was published with it, an
event page says where, how to get in and whom to ask; demo events fall on working days."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import icalendar
import pytest
import time_machine

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.demo import DemoReport
from editorial.enforcement import chamber_bypass
from home.models import SiteSettings
from news.models import ArticlePage
from programs.demo import days_off, easter_sunday, load_programs_demo, next_working_day
from programs.models import EventPage, PartnerPage
from tests.factories.news import ArticlePageFactory, NewsIndexPageFactory

pytestmark = pytest.mark.django_db

# Measured warm with the page cache off: the same for 3 or 30 of each kind of joint content.
PARTNER_PAGE_MAX_QUERIES = 5


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html)]


@pytest.fixture
def make_joint_article(home_page) -> Callable[..., ArticlePage]:
    index = NewsIndexPageFactory(parent=home_page)

    def make(partner: PartnerPage, title: str, day: date, **fields: object) -> ArticlePage:
        with chamber_bypass("contenu approuvé en amont du test"):
            return ArticlePageFactory(
                parent=index, title=title, date=day, joint_partner=partner, **fields
            )

    return make


def test_partner_page__lists_joint_articles_events_and_programs_newest_first(
    client: Client, cma: PartnerPage, make_program, make_event, make_joint_article
) -> None:
    cma.name_in_sentence = "la CMA"
    cma.website = "https://cma.example"
    cma.address = "5 boulevard Pèbre\n13008 Marseille"
    cma.contact_phone = "04 91 00 00 00"
    cma.save_revision().publish()
    make_joint_article(cma, "Visite de la présidente", date(2026, 9, 1))
    make_joint_article(cma, "Une convention renouvelée", date(2026, 10, 5))
    make_joint_article(None, "Sans la chambre", date(2026, 10, 6))
    training = make_program("Formations gratuites pour artisans", partner=cma)
    make_program("Hébergement")
    now = timezone.now()
    make_event("Formation : fixer ses prix", program=training, start=now + timedelta(days=3))
    with chamber_bypass("contenu approuvé en amont du test"):
        make_event("Atelier commun", joint_partner=cma, start=now + timedelta(days=9))
    make_event("Portes ouvertes", start=now + timedelta(days=5))

    html = client.get(cma.url).content.decode()

    assert html.index("Une convention renouvelée") < html.index("Visite de la présidente")
    assert "1er septembre 2026" in html
    assert "Sans la chambre" not in html
    assert html.index("Atelier commun") < html.index("Formation : fixer ses prix")
    assert "Portes ouvertes" not in html and "Hébergement" not in html
    assert "Formations gratuites pour artisans" in html
    assert ">Site web de la CMA</a>" in html
    assert "5 boulevard Pèbre<br>13008 Marseille" in html
    assert 'href="tel:0491000000"' in html and "mailto:contact@cma.example" in html
    shown = headings(html)
    assert len(shown) == len(set(shown)), shown
    assert "Actualités avec la CMA" in shown and "Contacter la CMA" in shown


def test_partner_page__without_a_name_in_sentence__uses_its_short_name(
    client: Client, cma: PartnerPage
) -> None:
    cma.website = "https://cma.example"
    cma.save_revision().publish()
    html = client.get(cma.url).content.decode()
    assert ">Site web de CMA</a>" in html
    # Program kinds no longer repeat a program's title next to it.
    assert " — " not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.usefixtures("page_cache_off")
def test_partner_page__same_queries_for_3_and_30_joint_pages(
    client: Client,
    django_assert_max_num_queries,
    cma: PartnerPage,
    make_program,
    make_event,
    make_joint_article,
) -> None:
    def add(first: int, last: int) -> None:
        for n in range(first, last):
            program = make_program(f"Programme {n}", partner=cma)
            make_event(f"Séance {n}", program=program)
            make_joint_article(cma, f"Article {n}", date(2026, 1, 1) + timedelta(days=n))

    def warm_count() -> int:
        assert client.get(cma.url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(cma.url).status_code == 200
        return len(queries)

    add(0, 3)
    with_3 = warm_count()
    add(3, 30)
    client.get(cma.url)
    with django_assert_max_num_queries(PARTNER_PAGE_MAX_QUERIES) as with_30:
        html = client.get(cma.url).content.decode()
    assert "Article 29" in html
    assert len(with_30) == with_3, (len(with_30), with_3)


def test_event_page__shows_its_full_address_a_map_link_and_access(
    client: Client, make_event
) -> None:
    event = make_event(
        place="Maison de l'artisanat",
        street_address="5 boulevard Pèbre",
        postal_code="13008",
        city="Marseille",
        accessibility="Accès PMR, ascenseur",
        body=[("paragraph", "<p>Tout savoir sur le statut d'artisan.</p>")],
    )
    html = client.get(event.url).content.decode()
    assert "Maison de l&#x27;artisanat<br>5 boulevard Pèbre<br>13008 Marseille" in html
    assert "Accès PMR, ascenseur" in html
    assert "Tout savoir sur le statut d&#x27;artisan." in html or "statut d'artisan" in html
    [link] = re.findall(r'href="(https://www\.openstreetmap\.org/[^"]+)"', html)
    parts = urlsplit(link.replace("&amp;", "&"))
    assert parts.path == "/search"
    assert parse_qs(parts.query) == {"query": ["5 boulevard Pèbre, 13008 Marseille"]}
    # A link, never an embedded map: nothing on the page loads from OpenStreetMap.
    assert not re.search(r'(src|data)="https://[^"]*openstreetmap', html)
    assert "<iframe" not in html


def test_event_page__organiser_contact__or_the_hubs_when_none(
    client: Client, home_page, make_event
) -> None:
    hub = SiteSettings.for_site(home_page.get_site())
    hub.address, hub.postal_code, hub.city = "Pôle entrepreneurial", "13015", "Marseille"
    hub.contact_email, hub.phone = "bonjour@carburateur.example", "04 91 11 22 33"
    hub.save()
    at_the_hub = make_event(title="Portes ouvertes")
    html = client.get(at_the_hub.url).content.decode()
    assert "Pôle entrepreneurial<br>13015 Marseille" in html
    assert "query=P%C3%B4le+entrepreneurial%2C+13015+Marseille" in html
    assert "L&#x27;équipe du Carburateur" in html
    assert "mailto:bonjour@carburateur.example" in html and 'href="tel:0491112233"' in html
    assert "Une question sur l'accès" in html

    organised = make_event(
        title="Réunion CMA",
        organiser_name="Pôle création de la CMA",
        organiser_email="creation@cma.example",
    )
    html = client.get(organised.url).content.decode()
    assert "Pôle création de la CMA" in html and "mailto:creation@cma.example" in html
    assert "bonjour@carburateur.example" not in html.split("</main>")[0]


def test_event_calendar_location__includes_the_address(make_event) -> None:
    event = make_event(place="Salle 2", street_address="1 rue Rose", postal_code="13015")
    assert event.as_calendar_event().location == "Salle 2, 1 rue Rose, 13015"


def test_days_off__french_public_holidays_and_christmas_eve() -> None:
    assert easter_sunday(2027) == date(2027, 3, 28)
    off = days_off(2027)
    for day in [(1, 1), (3, 29), (5, 1), (5, 6), (5, 8), (5, 17), (7, 14), (12, 24), (12, 25)]:
        assert date(2027, *day) in off, day
    assert date(2027, 3, 30) not in off


def test_next_working_day__skips_weekends_and_days_off() -> None:
    assert next_working_day(date(2026, 12, 22)) == date(2026, 12, 22)  # a Tuesday
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)  # 24, 25, weekend
    assert next_working_day(date(2026, 12, 31)) == date(2026, 12, 31)
    assert next_working_day(date(2027, 1, 1)) == date(2027, 1, 4)


def test_programs_demo__events_fall_on_working_days_around_christmas(home_page, members) -> None:
    with time_machine.travel("2026-12-22 10:00 +0100", tick=False):
        load_programs_demo(home_page, DemoReport(), contest_entrant=members[0])
    days = [timezone.localtime(event.start).date() for event in EventPage.objects.all()]
    assert len(days) == 12
    for day in days:
        assert day.weekday() < 5, day
        assert day not in days_off(day.year), day


def test_event_calendar_attachment__is_the_event_as_an_ics_file(make_event) -> None:
    event = make_event(title="Atelier bocaux", place="Salle 2")
    attachment = event.calendar_attachment()
    assert attachment["filename"] == f"{event.slug}.ics"
    assert attachment["mimetype"] == "text/calendar"
    [parsed] = icalendar.Calendar.from_ical(attachment["content"]).events
    assert str(parsed["SUMMARY"]) == "Atelier bocaux"
    assert str(parsed["UID"]) == event.uid
