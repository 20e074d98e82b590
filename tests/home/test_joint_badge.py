"""Co-branding: a page published jointly with a partner says so and links to the partner."""

from __future__ import annotations

import pytest

from programs.models import PartnerPage
from tests.factories.programs import PartnerPageFactory
from tests.home.html import fragment

pytestmark = pytest.mark.django_db

BADGE = "Contenu publié conjointement avec"


@pytest.fixture
def cma(image) -> PartnerPage:
    return PartnerPageFactory(logo=image, live=False, revision=True)


def test_joint_page__shows_the_partner_name_logo_and_link(client, publish_page, cma) -> None:
    page = publish_page("Visite de la présidente", slug="visite", joint_partner=cma)
    html = client.get(page.url).content.decode()
    badge = fragment(html, '<aside class="joint-badge"', "</aside>")
    assert BADGE in badge
    assert '<a class="joint-badge__partner" href="/partenaires/cma/">' in badge
    assert "<span>CMA</span>" in badge
    assert 'class="joint-badge__logo"' in badge
    assert 'alt=""' in badge


def test_page_without_partner__shows_no_badge(client, publish_page, cma) -> None:
    page = publish_page("Accès", slug="acces")
    assert BADGE not in client.get(page.url).content.decode()


def test_joint_page_with_unpublished_partner__names_it_without_a_dead_link(
    client, publish_page, cma
) -> None:
    page = publish_page("Visite", slug="visite", joint_partner=cma)
    cma.unpublish()
    html = client.get(page.url).content.decode()
    assert BADGE in html
    assert "<span>CMA</span>" in html
    assert 'href="/partenaires/cma/"' not in html
