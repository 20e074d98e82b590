"""The head and skeleton of every page: sharing tags, canonical link, favicon, skip link, h1."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from home.models import StandardPage
from tests.factories.programs import ProgramPageFactory
from tests.home.html import fragment

pytestmark = pytest.mark.django_db


class _HeadParser(HTMLParser):
    """Collects meta/link tags and counts h1 elements."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.h1_count = 0
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "meta":
            key = values.get("property") or values.get("name")
            if key:
                self.meta[key] = values.get("content", "")
        elif tag == "link" and "rel" in values:
            self.links[values["rel"]] = values.get("href", "")
            if values["rel"] in {"stylesheet", "icon", "preload"}:
                self.assets.append(values.get("href", ""))
        elif tag == "h1":
            self.h1_count += 1
        if tag in {"script", "img", "iframe", "source"} and values.get("src"):
            self.assets.append(values["src"])


def parse(html: str) -> _HeadParser:
    parser = _HeadParser()
    parser.feed(html)
    return parser


def test_page__has_open_graph_and_twitter_tags_with_absolute_urls(
    client, publish_page, image
) -> None:
    page = publish_page(
        "Accès",
        slug="acces",
        introduction="Comment venir au Carburateur, en métro ou en bus.",
        social_image=image,
    )
    head = parse(client.get(page.url).content.decode())

    assert head.meta["og:title"] == "Accès"
    assert head.meta["og:description"] == "Comment venir au Carburateur, en métro ou en bus."
    assert head.meta["description"] == head.meta["og:description"]
    assert head.meta["og:locale"] == "fr_FR"
    assert head.meta["og:site_name"] == "Le Carburateur"
    assert head.meta["og:type"] == "website"
    assert head.meta["og:url"] == page.full_url
    assert re.fullmatch(r"https?://[^/]+/acces/", head.meta["og:url"])
    assert head.links["canonical"] == page.full_url
    assert re.fullmatch(
        r"https?://[^/]+/media/images/locaux[^/]*\.fill-1200x630\.png", head.meta["og:image"]
    )
    assert head.meta["og:image:width"] == "1200"
    assert head.meta["og:image:height"] == "630"
    assert head.meta["twitter:card"] == "summary_large_image"
    assert head.meta["twitter:image"] == head.meta["og:image"]


def test_page__search_description_wins_over_introduction(client, publish_page) -> None:
    page = publish_page(
        "Accès", slug="acces", introduction="Chapeau.", search_description="Résumé pour Google."
    )
    head = parse(client.get(page.url).content.decode())
    assert head.meta["og:description"] == "Résumé pour Google."


def test_page_without_sharing_image__uses_a_small_card_and_no_og_image(
    client, publish_page
) -> None:
    page = publish_page("Accès", slug="acces")
    head = parse(client.get(page.url).content.decode())
    assert "og:image" not in head.meta
    assert head.meta["twitter:card"] == "summary"


def test_page__links_a_local_svg_favicon_and_local_assets_only(client, home_page) -> None:
    head = parse(client.get("/").content.decode())
    assert head.links["icon"] == "/static/img/favicon.svg"
    assert "/static/css/site.css" in head.assets
    assert all(url.startswith("/") and not url.startswith("//") for url in head.assets)


def test_page__starts_with_a_skip_link_to_the_main_content(client, home_page) -> None:
    html = client.get("/").content.decode()
    body = fragment(html, "<body")
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="#contenu"' in first_link
    assert "Aller au contenu" in body
    assert '<main id="contenu" tabindex="-1">' in body


def test_home_page__has_exactly_one_h1(client, home_page) -> None:
    assert parse(client.get("/").content.decode()).h1_count == 1


def test_standard_page__has_exactly_one_h1_and_breadcrumbs(client, publish_page) -> None:
    parent = publish_page("À propos", slug="a-propos")
    page = publish_page("L'équipe", slug="equipe", parent=parent)
    html = client.get(page.url).content.decode()
    assert parse(html).h1_count == 1
    crumbs = fragment(html, 'aria-label="Fil d\'Ariane"', "</nav>")
    assert '<a href="/">Accueil</a>' in crumbs
    assert '<a href="/a-propos/">À propos</a>' in crumbs
    assert '<span aria-current="page">L&#x27;équipe</span>' in crumbs


def test_home_page__shows_the_surface_the_french_way_and_key_figures(client, home_page) -> None:
    home_page.key_figures = [("figure", {"figure": "2017", "label": "début du partenariat CMA"})]
    home_page.save_revision().publish()
    html = client.get("/").content.decode()
    assert "1\xa0800\xa0m²" in html
    assert "début du partenariat CMA" in html


def test_home_page__shows_listing_sections_only_when_they_have_content(client, home_page) -> None:
    sections = ("section-programmes", "section-evenements", "section-actualites")
    html = client.get("/").content.decode()
    for section_id in (*sections, "section-concours"):
        assert f'id="{section_id}"' not in html

    ProgramPageFactory(
        title="Accompagnement à la création",
        slug="accompagnement",
        featured=True,
        kind="accompagnement",
        revision=True,
    )
    html = client.get("/").content.decode()
    assert 'id="section-programmes"' in html
    assert '<a href="/programmes/accompagnement/">Accompagnement à la création</a>' in html
    assert 'href="/programmes/">Tous les programmes</a>' in html
    assert 'id="section-evenements"' not in html


def test_standard_page__renders_its_introduction_as_lead(client, publish_page) -> None:
    page = publish_page("Accès", slug="acces", introduction="En métro, ligne 2.")
    html = client.get(page.url).content.decode()
    assert '<p class="lead">En métro, ligne 2.</p>' in html
    assert isinstance(page.specific, StandardPage)


def test_titles__name_the_page_then_the_site_once(client, publish_page) -> None:
    page = publish_page("Accès", slug="acces")
    assert "<title>Accès — Le Carburateur</title>" in client.get(page.url).content.decode()
    home = client.get("/").content.decode()
    assert (
        "<title>Le Carburateur, pôle entrepreneurial des quartiers Nord de Marseille</title>"
        in home
    )
