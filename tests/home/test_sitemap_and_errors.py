"""sitemap.xml lists live public pages only; 404 and 500 pages answer in French."""

from __future__ import annotations

import pytest

from django.test import RequestFactory
from django.urls import get_resolver

from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def test_sitemap__lists_live_public_pages_only(client, publish_page) -> None:
    publish_page("Accès", slug="acces")
    publish_page("Brouillon", slug="brouillon", live=False)
    private = publish_page("Espace résidents", slug="espace-residents")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="carbu"
    )
    expired = publish_page("Ancienne offre", slug="ancienne-offre")
    expired.unpublish()

    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    assert "<loc>http://testserver/</loc>" in xml
    assert "<loc>http://testserver/acces/</loc>" in xml
    assert "/brouillon/" not in xml
    assert "/espace-residents/" not in xml
    assert "/ancienne-offre/" not in xml


def test_unknown_url__answers_a_french_404_with_search(client, home_page) -> None:
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html
    assert '<html lang="fr">' in html
    assert 'action="/recherche/"' in html
    assert '<meta name="robots" content="noindex">' in html


def test_server_error_handler__renders_french_page_without_database(
    django_assert_num_queries,
) -> None:
    handler = get_resolver().resolve_error_handler(500)
    request = RequestFactory().get("/boom/")
    with django_assert_num_queries(0):
        response = handler(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Une erreur est survenue</h1>" in html
    assert '<html lang="fr">' in html
    assert 'href="#contenu"' in html
