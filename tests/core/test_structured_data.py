"""Structured data (schema.org JSON-LD) in the <head>: the organisation on the home page, an
Event on event pages, a NewsArticle on articles, read back as a search engine would."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from django.test import Client

from core.structured_data import euro_offer, json_ld_script
from home.models import SiteSettings
from tests.factories.news import ArticlePageFactory
from tests.factories.pages import ImageFactory, home_page
from tests.factories.programs import EventPageFactory, ProgramPageFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
OFFSET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00")


def json_ld(client: Client, url: str) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page at ``url``, parsed; they all sit in the <head>."""
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    scripts = soup.find_all("script", type="application/ld+json")
    assert all(script.find_parent("head") for script in scripts)
    return [json.loads(script.string) for script in scripts]


def only(client: Client, url: str, schema_type: str) -> dict[str, Any]:
    objects = json_ld(client, url)
    assert [data["@type"] for data in objects] == [schema_type]
    assert objects[0]["@context"] == "https://schema.org"
    return objects[0]


@pytest.fixture
def hub_settings(db: None) -> SiteSettings:
    settings = SiteSettings.for_site(home_page().get_site())
    settings.address = "Pôle entrepreneurial, bâtiment B"
    settings.postal_code = "13015"
    settings.city = "Marseille"
    settings.phone = "04 91 00 00 00"
    settings.contact_email = "bonjour@lecarburateur.fr"
    settings.social_links = [
        ("link", {"network": "instagram", "url": "https://instagram.com/carbu", "label": ""})
    ]
    settings.save()
    return settings


def test_home_page__describes_the_organisation_with_its_address(
    client: Client, hub_settings: SiteSettings
) -> None:
    data = only(client, "/", "Organization")
    assert data["name"] == "Le Carburateur"
    assert re.fullmatch(r"https?://[^/]+/", data["url"])
    assert data["logo"]["url"].endswith(".png")
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "Pôle entrepreneurial, bâtiment B",
        "postalCode": "13015",
        "addressLocality": "Marseille",
        "addressCountry": "FR",
    }
    assert data["telephone"] == "04 91 00 00 00"
    assert data["email"] == "bonjour@lecarburateur.fr"
    assert data["sameAs"] == ["https://instagram.com/carbu"]
    assert data["description"]


def test_home_page__follows_the_settings_at_once(
    client: Client, hub_settings: SiteSettings
) -> None:
    only(client, "/", "Organization")
    hub_settings.postal_code = "13016"
    hub_settings.save()
    assert only(client, "/", "Organization")["address"]["postalCode"] == "13016"


def test_home_page__without_contact_details__leaves_them_out(client: Client) -> None:
    data = only(client, "/", "Organization")
    assert {"name", "url", "logo"} <= data.keys()
    assert "telephone" not in data
    assert "sameAs" not in data


def test_event__has_google_s_required_fields_with_paris_offsets(
    client: Client, hub_settings: SiteSettings
) -> None:
    event = EventPageFactory(
        title="Atelier compta",
        start=datetime(2026, 12, 10, 18, tzinfo=PARIS),
        end=datetime(2026, 12, 10, 20, tzinfo=PARIS),
        place="Salle de formation, Le Carburateur",
        summary="Tenir ses comptes.",
        social_image=ImageFactory(),
    )
    data = only(client, event.url, "Event")
    assert data["name"] == "Atelier compta"
    assert data["startDate"] == "2026-12-10T18:00:00+01:00"
    assert data["endDate"] == "2026-12-10T20:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place"
    assert data["location"]["name"] == "Salle de formation, Le Carburateur"
    assert data["location"]["address"]["postalCode"] == "13015"
    assert data["organizer"]["name"] == "Le Carburateur"
    assert data["description"] == "Tenir ses comptes."
    assert data["url"].endswith(event.url)
    assert data["image"][0].endswith(".fill-1200x630.png")
    assert "offers" not in data
    assert "isAccessibleForFree" not in data  # no program: not known


def test_event__in_summer__carries_the_summer_offset(client: Client) -> None:
    event = EventPageFactory(
        start=datetime(2027, 7, 1, 9, tzinfo=PARIS), end=datetime(2027, 7, 1, 12, tzinfo=PARIS)
    )
    data = only(client, event.url, "Event")
    assert data["startDate"] == "2027-07-01T09:00:00+02:00"
    assert OFFSET.fullmatch(data["endDate"])


def test_event__of_a_free_program__is_free_and_offers_nothing(client: Client) -> None:
    event = EventPageFactory(program=ProgramPageFactory(is_free=True))
    data = only(client, event.url, "Event")
    assert data["isAccessibleForFree"] is True
    assert "offers" not in data


def test_event__of_a_paid_program__offers_its_price_in_euros(client: Client) -> None:
    program = ProgramPageFactory(is_free=False, price="120 € la journée")
    event = EventPageFactory(program=program, registration_url="https://billets.example/compta")
    data = only(client, event.url, "Event")
    assert data["isAccessibleForFree"] is False
    assert data["offers"] == {
        "@type": "Offer",
        "price": "120",
        "priceCurrency": "EUR",
        "url": "https://billets.example/compta",
    }


def test_price_without_an_amount__makes_no_offer() -> None:
    assert euro_offer("Sur devis", "https://x.example") is None
    assert euro_offer("1 200,50 euros", "u")["price"] == "1200.50"


def test_article__is_a_news_article_with_google_s_required_fields(client: Client) -> None:
    article = ArticlePageFactory(
        title="Visite de la présidente", date=date(2026, 1, 15), listing_image=ImageFactory()
    )
    data = only(client, article.url, "NewsArticle")
    assert data["headline"] == "Visite de la présidente"
    assert data["image"][0].endswith(".fill-1200x630.png")
    # Published by the factory today, not on its date: the date's start in Paris.
    assert data["datePublished"] == "2026-01-15T00:00:00+01:00"
    assert OFFSET.fullmatch(data["dateModified"])
    assert data["dateModified"] >= data["datePublished"]
    assert data["author"] == {"@type": "Person", "name": "L'équipe du Carburateur"}
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["logo"]["url"].endswith(".png")
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": data["url"]}
    assert data["url"].endswith(article.url)


def test_article__without_image_or_author__shows_the_hub_s_logo_and_signs_as_the_hub(
    client: Client,
) -> None:
    article = ArticlePageFactory(author="")
    data = only(client, article.url, "NewsArticle")
    assert data["image"] == [data["publisher"]["logo"]["url"]]
    assert data["author"]["@type"] == "Organization"


def test_title_with_a_closing_script_tag__cannot_leave_the_script(client: Client) -> None:
    title = 'Fin </script><script>alert("x")</script> <!-- & co'
    article = ArticlePageFactory(title=title)
    html = client.get(article.url).content.decode()
    assert "</script><script>alert" not in html
    assert only(client, article.url, "NewsArticle")["headline"] == title


def test_script__escapes_what_would_end_it() -> None:
    script = json_ld_script({"name": "</script><!--"})
    assert script == (
        '<script type="application/ld+json">{"name":"\\u003C/script\\u003E\\u003C!--"}</script>'
    )


def test_pages_without_a_schema_type__have_no_json_ld(client: Client, home_page) -> None:
    program = ProgramPageFactory()
    assert json_ld(client, program.url) == []
