"""The home page and standard pages: where they may be created, and that they render."""

from __future__ import annotations

import pytest

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage, StandardPage
from tests.factories.home import StandardPageFactory


class TestPageTree(WagtailPageTestCase):
    def test_home_page__only_at_the_root(self) -> None:
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_standard_page__under_home_or_another_standard_page(self) -> None:
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertAllowedSubpageTypes(StandardPage, {StandardPage})


@pytest.mark.django_db
def test_home_page__is_the_site_root_and_renders_in_french(client, home_page) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="fr">' in response.content
    assert b"Le Carburateur" in response.content


@pytest.mark.django_db
def test_standard_page__renders_its_body(client, home_page) -> None:
    page = StandardPageFactory(
        title="Accès",
        slug="acces",
        introduction="Comment venir au Carburateur.",
        body=[("heading", {"text": "En métro", "level": "h2"})],
        revision=True,
    )
    response = client.get(page.url)
    assert response.status_code == 200
    assert "En métro" in response.content.decode()


@pytest.mark.django_db
def test_robots_txt__points_to_the_sitemap(client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert b"Sitemap: http://testserver/sitemap.xml" in response.content


@pytest.mark.django_db
def test_unknown_url__answers_a_french_404(client, home_page) -> None:
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
