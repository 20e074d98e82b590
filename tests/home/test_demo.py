"""The demo loader builds the hub's real story and is idempotent."""

from __future__ import annotations

import re

import pytest

from django.core.management import call_command
from django.test import Client

from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision

from home.models import SiteSettings
from members.models import MemberPage, Trade
from news.models import ArticlePage
from newsletters.models import Delivery, NewsletterPage, Send
from programs.models import ContestPage, EventPage, PartnerPage


def _snapshot() -> tuple[int, ...]:
    return (
        Page.objects.count(),
        Revision.objects.count(),
        PageLogEntry.objects.count(),
        get_image_model().objects.count(),
        Trade.objects.count(),
        SiteSettings.objects.count(),
    )


@pytest.mark.django_db
def test_load_demo__second_run_changes_nothing() -> None:
    call_command("load_demo", verbosity=0)
    before = _snapshot()
    call_command("load_demo", verbosity=0)
    assert _snapshot() == before


@pytest.mark.django_db
def test_load_demo__tells_the_hubs_story() -> None:
    call_command("load_demo", verbosity=0)

    bocaux = MemberPage.objects.live().get(slug="la-compagnie-des-bocaux")
    assert bocaux.founders == "Saïda et Thomas Palmieri"
    assert bocaux.is_artisan
    assert "coworking" in bocaux.space_details
    assert MemberPage.objects.live().get(slug="medinscop").founders == "Maxime Larabi"
    assert MemberPage.objects.live().count() >= 8

    cma = PartnerPage.objects.live().get(slug="cma")
    aviva = ContestPage.objects.live().get(slug="la-fabrique-aviva")
    assert aviva.is_open
    assert aviva.vote_closes_at.month == 4
    assert list(aviva.entries.values_list("member__slug", flat=True)) == [bocaux.slug]
    assert EventPage.objects.live().count() >= 10

    visit = ArticlePage.objects.live().get(slug="visite-de-monique-cassar")
    assert visit.joint_partner_id == cma.pk
    assert "Monique Cassar" in visit.title


@pytest.mark.django_db
def test_load_demo__every_page_type_is_reachable_from_the_home_page(client: Client) -> None:
    """Follow links from the home page (breadth first) and check every page type is met."""
    call_command("load_demo", verbosity=0)
    wanted = {
        "homepage",
        "standardpage",
        "memberindexpage",
        "memberpage",
        "newsindexpage",
        "articlepage",
        "programindexpage",
        "programpage",
        "eventindexpage",
        "eventpage",
        "partnerindexpage",
        "partnerpage",
        "contestindexpage",
        "contestpage",
        # The newsletter archive, from the footer's links, and its sent issue.
        "newsletterindexpage",
        "newsletterpage",
        "legalpage",
    }
    by_url = {page.url: page for page in Page.objects.live().specific()}
    seen: set[str] = set()
    queue = ["/"]

    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        for link in re.findall(r'href="(/[^"#?]*)"', response.content.decode()):
            if link in by_url and link not in seen:
                queue.append(link)
    reached = {by_url[url].specific_class._meta.model_name for url in seen if url in by_url}
    assert wanted <= reached, wanted - reached


@pytest.mark.django_db
def test_load_demo__the_archive_shows_a_sent_issue_and_no_draft(client: Client) -> None:
    call_command("load_demo", verbosity=0)
    sent = NewsletterPage.objects.live().get(slug="lettre-de-la-rentree")
    send = sent.sends.get()
    assert send.status == Send.Status.DONE
    assert send.recipient_count == send.deliveries.filter(state=Delivery.State.SENT).count() > 0
    assert not NewsletterPage.objects.get(slug="lettre-du-printemps").live

    archive = client.get(sent.get_parent().url).content.decode()
    assert "La lettre de la rentrée" in archive
    assert "La lettre du printemps" not in archive
    assert client.get(sent.url).status_code == 200
