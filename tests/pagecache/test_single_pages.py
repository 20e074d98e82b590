"""Single pages (resident, article, event, programme, contest) rendered with the page cache off
and fragments on, as an editor or the first visitor after a change gets them: no query once
their route and fragments are fresh, and what a fragment shows changes at once with what it
shows."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from django.test import Client
from django.utils import timezone

from wagtail.models import Page, Site

from editorial.enforcement import chamber_bypass
from home.models import SiteSettings
from members.models import MemberPage
from news.models import ArticlePage
from programs.models import ContestPage, EventIndexPage, EventPage, PartnerPage, ProgramPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]

#: A warm single page: the page comes from its kept route (``core.routing``), pickled with what
#: its template shows; the header (menus, breadcrumbs, badge), the related blocks and the footer
#: from the fragment cache.
SINGLE_PAGE_MAX_QUERIES = 0


@pytest.fixture(autouse=True)
def fragments_only(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGECACHE_ENABLED = False
    settings.PAGECACHE_FRAGMENTS = True


def html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def publish(page: Page, **fields: Any) -> None:
    """Publish ``page`` with ``fields`` changed, as an administrator may (joint content too)."""
    for name, value in fields.items():
        setattr(page, name, value)
    with chamber_bypass("test"):
        page.save_revision().publish()


def resident() -> MemberPage:
    return MemberPage.objects.live().get(slug="la-compagnie-des-bocaux")


def article() -> ArticlePage:
    return ArticlePage.objects.get(slug="visite-de-monique-cassar")


def program() -> ProgramPage:
    return ProgramPage.objects.get(slug="reunions-cma")


def contest() -> ContestPage:
    return ContestPage.objects.get(slug="la-fabrique-aviva")


def single_pages() -> list[str]:
    event = EventPage.objects.live().filter(program__isnull=False).order_by("start").first()
    assert event is not None
    return [resident().url, article().url, event.url, program().url, contest().url]


def test_single_pages__cost_no_query_once_their_route_and_fragments_are_fresh(
    client: Client, django_assert_max_num_queries
) -> None:
    for url in single_pages():
        html(client, url)
        with django_assert_max_num_queries(SINGLE_PAGE_MAX_QUERIES):
            html(client, url)


def test_breadcrumbs__show_a_renamed_section_at_once(client: Client) -> None:
    page = resident()
    html(client, page.url)
    publish(page.get_parent().specific, title="Les entreprises du Carburateur")
    assert ">Les entreprises du Carburateur</a>" in html(client, page.url)


def test_breadcrumbs__show_the_page_s_new_title_at_once(client: Client) -> None:
    page = resident()
    html(client, page.url)
    publish(page, title="Les Bocaux de Provence")
    assert '<span aria-current="page">Les Bocaux de Provence</span>' in html(client, page.url)


def test_joint_badge__appears_as_soon_as_the_page_is_published_jointly(client: Client) -> None:
    page = resident()
    assert "joint-badge" not in html(client, page.url)
    publish(page, joint_partner=PartnerPage.objects.get(slug="cma"))
    assert "joint-badge" in html(client, page.url)


def test_joint_badge__shows_the_partner_s_new_name_at_once(client: Client) -> None:
    url = article().url
    assert "joint-badge" in html(client, url)
    publish(PartnerPage.objects.get(slug="cma"), short_name="CMA Sud")
    assert "<span>CMA Sud</span>" in html(client, url)


def test_article__shows_a_renamed_related_page_and_a_new_tag_at_once(client: Client) -> None:
    page = article()
    html(client, page.url)
    publish(resident(), title="Les Bocaux de Provence")
    assert ">Les Bocaux de Provence</a>" in html(client, page.url)
    page.tags.add("conserverie")
    publish(page)
    assert ">conserverie</a>" in html(client, page.url)


def test_contest__shows_a_renamed_competitor_at_once(client: Client) -> None:
    url = contest().url
    assert ">La Compagnie des Bocaux</a>" in html(client, url)
    publish(resident(), title="Les Bocaux de Provence")
    assert ">Les Bocaux de Provence</a>" in html(client, url)


def add_session(title: str, start: Any) -> EventPage:
    event = EventPage(
        title=title,
        program=program(),
        start=start,
        end=start + timedelta(hours=1),
        registration_text="À l'accueil.",
    )
    EventIndexPage.objects.get().add_child(instance=event)
    event.save_revision().publish()
    return event


def test_program__shows_a_new_session_at_once(client: Client) -> None:
    url = program().url
    html(client, url)
    add_session("Séance supplémentaire", timezone.now() + timedelta(days=1))
    assert ">Séance supplémentaire</a>" in html(client, url)


def test_program__drops_a_session_once_it_is_over(client: Client) -> None:
    url = program().url
    session = add_session("Séance de midi", timezone.now() + timedelta(minutes=30))
    assert ">Séance de midi</a>" in html(client, url)
    with time_machine.travel(session.end + timedelta(minutes=1), tick=False):
        assert ">Séance de midi</a>" not in html(client, url)


def event() -> EventPage:
    found = EventPage.objects.live().filter(program__isnull=False).order_by("start").first()
    assert found is not None
    return found


def test_resident__shows_its_trade_s_new_name_at_once(client: Client) -> None:
    # The trade comes with the page from its kept route, before the content fragment renders:
    # the fragment depends on it all the same.
    page = resident()
    assert page.trade is not None
    assert f"<dd>{page.trade.name}</dd>" in html(client, page.url)
    # The content is rendered again from the kept page (its trade loaded with it, not by the
    # fragment) once something else it shows changes: the hub's contact address.
    hub = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    hub.contact_email = "bonjour@carburateur.example"
    hub.save()
    assert "bonjour@carburateur.example" in html(client, page.url)
    page.trade.name = "Conserverie artisanale"
    page.trade.save()
    assert "<dd>Conserverie artisanale</dd>" in html(client, page.url)


def test_event__shows_its_program_s_new_title_at_once(client: Client) -> None:
    page = event()
    html(client, page.url)
    publish(page.program, title="Les réunions de la CMA, nouvelle formule")
    assert ">Les réunions de la CMA, nouvelle formule</a>" in html(client, page.url)


def test_article__shows_its_image_s_new_alt_text_at_once(client: Client) -> None:
    page = article()
    image = page.listing_image
    assert image is not None
    html(client, page.url)
    image.title = "Monique Cassar dans l'atelier des bocaux"
    image.save()
    assert 'alt="Monique Cassar dans l&#x27;atelier des bocaux"' in html(client, page.url)


def test_article__renders_its_image_again_once_its_renditions_are_deleted(
    client: Client, django_assert_max_num_queries
) -> None:
    # The page kept the renditions' URLs: once they are gone (a purge, a new focal point), it
    # must ask for them again rather than show files that no longer exist.
    page = article()
    image = page.listing_image
    assert image is not None
    html(client, page.url)
    with django_assert_max_num_queries(0):
        html(client, page.url)
    image.renditions.all().delete()
    html(client, page.url)
    assert image.renditions.exists()  # made again for this request


def test_single_pages__link_to_the_site_s_new_address_once_its_root_is_renamed(
    client: Client,
) -> None:
    # Wagtail turns a page's path into its URL with the sites' root paths, which each process
    # keeps (pagecache.middleware): a renamed root page changes them all.
    url = resident().url
    html(client, url)
    root = Page.objects.get(depth=2).specific
    publish(root, slug="nouvel-accueil")
    body = html(client, url)
    assert 'href="/residents/"' in body
