"""Every footer links the legal notice, the privacy policy and the accessibility statement."""

from __future__ import annotations

import re

import pytest

from django.test import Client

from wagtail.models import Site

from home.models import HomePage
from legal.links import get_legal_links
from legal.models import LegalKind, LegalPage
from tests.factories.news import ArticlePageFactory

EXPECTED_LINKS = [
    ("/mentions-legales/", "Mentions légales"),
    ("/politique-de-confidentialite/", "Politique de confidentialité"),
    ("/declaration-d-accessibilite/", "Accessibilité : non conforme"),
]


def legal_nav_links(html: str) -> list[tuple[str, str]]:
    """The links of the footer's « Informations légales » navigation, in order."""
    match = re.search(
        r'<nav class="legal-nav" aria-label="Informations légales">(.*?)</nav>', html, re.S
    )
    assert match, "no legal navigation in the page"
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', match.group(1))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/actualites/article-0001/", "/cette-page-n-existe-pas/"])
def test_footer__links_the_three_legal_pages(
    client: Client, home_page: HomePage, path: str
) -> None:
    ArticlePageFactory()
    response = client.get(path)
    assert response.status_code == (404 if "existe" in path else 200)
    assert legal_nav_links(response.content.decode()) == EXPECTED_LINKS


@pytest.mark.django_db
def test_footer__drops_an_unpublished_page_at_once(
    client: Client, legal_pages: dict[str, LegalPage]
) -> None:
    client.get("/")
    legal_pages[LegalKind.PRIVACY].unpublish()
    links = legal_nav_links(client.get("/").content.decode())
    assert [url for url, _label in links] == ["/mentions-legales/", "/declaration-d-accessibilite/"]


@pytest.mark.django_db
def test_footer__follows_a_renamed_page(client: Client, legal_pages: dict[str, LegalPage]) -> None:
    client.get("/")
    notice = legal_pages[LegalKind.NOTICE]
    notice.slug = "informations"
    notice.save_revision().publish()
    assert ("/informations/", "Mentions légales") in legal_nav_links(
        client.get("/").content.decode()
    )


@pytest.mark.django_db
def test_legal_links__cost_no_query_once_cached(
    home_page: HomePage, django_assert_num_queries
) -> None:
    site = Site.objects.get(is_default_site=True)
    first = get_legal_links(site)
    with django_assert_num_queries(0):
        assert get_legal_links(site) == first
