"""The anonymous full-page cache: served when fresh, never stale, never shared wrongly."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine

from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from wagtail.models import Page, PageViewRestriction

from home.models import SiteSettings, StandardPage
from members.models import MemberIndexPage, MemberPage
from news.models import ArticlePage
from pagecache.tags import bump, is_fresh
from programs.models import ContestPage, EventPage
from subscriptions.models import Subscriber, Topic

from .conftest import verdict

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]


def publish(page: Page, **changes: object) -> Page:
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


def test_second_anonymous_visit__is_served_from_the_cache_with_public_headers(client) -> None:
    first = client.get("/")
    second = client.get("/")
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert second.content == first.content
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Cookie" in second["Vary"]
    assert not second.cookies
    revalidated = client.get("/", HTTP_IF_NONE_MATCH=second["ETag"])
    assert revalidated.status_code == 304


def test_query_strings__are_cached_apart_but_in_any_order(client) -> None:
    directory = MemberIndexPage.objects.get().url
    assert verdict(client, directory + "?artisan=oui&space=atelier")[0] == "MISS"
    assert verdict(client, directory + "?space=atelier&artisan=oui")[0] == "HIT"
    assert verdict(client, directory + "?artisan=non")[0] == "MISS"


def test_publishing_a_page__shows_at_once_where_it_appears_and_nowhere_else(client) -> None:
    resident = MemberPage.objects.live().first()
    directory = MemberIndexPage.objects.get()
    article = ArticlePage.objects.live().exclude(related_pages__page=resident).first()
    for url in ("/", directory.url, resident.url, article.url):
        client.get(url)

    publish(resident, company_name="Bocaux & Compagnie", title="Bocaux & Compagnie")

    state, html = verdict(client, resident.url)
    assert state == "MISS" and "Bocaux &amp; Compagnie" in html
    state, html = verdict(client, directory.url)
    assert state == "MISS" and "Bocaux &amp; Compagnie" in html
    assert verdict(client, "/")[0] == "MISS"  # the resident count
    assert verdict(client, article.url)[0] == "HIT"  # an article that does not mention it


def test_a_related_page_published_later__appears_on_the_article(client) -> None:
    article = ArticlePage.objects.live().filter(related_pages__isnull=False).first()
    related = article.related_pages.first().page.specific
    link = f'<a href="{related.url}">'
    related.unpublish()
    assert link not in verdict(client, article.url)[1]
    assert verdict(client, article.url)[0] == "HIT"

    related.save_revision().publish()
    state, html = verdict(client, article.url)
    assert state == "MISS" and link in html


def test_unpublishing_and_deleting__drop_the_page_from_listings(client) -> None:
    directory = MemberIndexPage.objects.get()
    first, second = MemberPage.objects.live().order_by("title")[:2]
    assert first.title in verdict(client, directory.url)[1]

    first.unpublish()
    assert first.title not in verdict(client, directory.url)[1]
    assert verdict(client, first.url)[0] == "MISS"  # now a 404, never the old page

    second.delete()
    state, html = verdict(client, directory.url)
    assert state == "MISS" and second.title not in html


def test_a_cached_404__becomes_the_page_once_it_is_published(client, home_page) -> None:
    assert verdict(client, "/nouvelle-page/") == ("MISS", verdict(client, "/nouvelle-page/")[1])
    assert client.get("/nouvelle-page/")["X-Cache"] == "HIT"
    page = StandardPage(title="Nouvelle page", slug="nouvelle-page")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    response = client.get("/nouvelle-page/")
    assert response.status_code == 200 and response["X-Cache"] == "MISS"


def test_moving_a_page__updates_every_link_to_it(client, home_page) -> None:
    about = Page.objects.get(slug="le-carburateur")
    resident = MemberPage.objects.live().first()
    assert "/le-carburateur/" in verdict(client, resident.url)[1]  # in the header menu
    about.specific.slug = "le-lieu"
    about.specific.save_revision().publish()
    html = verdict(client, resident.url)[1]
    assert "/le-lieu/" in html and "/le-carburateur/" not in html


def test_site_settings_and_topics__refresh_every_page_footer(client) -> None:
    resident = MemberPage.objects.live().first()
    client.get(resident.url)
    settings = SiteSettings.objects.get()
    settings.phone = "04 91 99 99 99"
    settings.save()
    state, html = verdict(client, resident.url)
    assert state == "MISS" and "04 91 99 99 99" in html

    Topic.objects.create(name="Ateliers du samedi", slug="ateliers-du-samedi")
    state, html = verdict(client, resident.url)
    assert state == "MISS" and "Ateliers du samedi" in html


def test_an_event_page__stops_being_served_once_the_event_is_over(client) -> None:
    event = EventPage.objects.live().filter(start__gt=timezone.now()).order_by("start").first()
    assert "Cet événement est passé" not in verdict(client, event.url)[1]
    assert verdict(client, event.url)[0] == "HIT"
    with time_machine.travel(event.end + timedelta(minutes=1)):
        state, html = verdict(client, event.url)
    assert state == "MISS" and "Cet événement est passé" in html


def test_a_contest__shows_its_vote_closed_once_the_closing_time_passes(client) -> None:
    contest = ContestPage.objects.live().first()
    contest.vote_opens_at = timezone.now() - timedelta(days=1)
    contest.vote_closes_at = timezone.now() + timedelta(hours=3)
    contest.save_revision().publish()
    assert "Le vote : ouvert" in verdict(client, contest.url)[1]
    assert "Concours en cours" in verdict(client, "/")[1]
    with time_machine.travel(contest.vote_closes_at + timedelta(seconds=5)):
        state, html = verdict(client, contest.url)
        assert state == "MISS" and "Le vote : clos" in html
        assert "Concours en cours" not in verdict(client, "/")[1]


def test_logged_in_editors__never_receive_or_fill_the_cache(client, admin_user) -> None:
    resident = MemberPage.objects.live().first()
    assert verdict(client, resident.url)[0] == "MISS"
    editor = Client()
    editor.force_login(admin_user)
    response = editor.get(resident.url)
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"]
    assert "wagtail-userbar" in response.content.decode()
    # …and the userbar an editor saw is never served to the public.
    state, html = verdict(client, resident.url)
    assert state == "HIT" and "wagtail-userbar" not in html


def test_previews__are_never_cached(admin_user) -> None:
    editor = Client()
    editor.force_login(admin_user)
    page = Page.objects.get(slug="le-carburateur").specific
    preview_url = f"/admin/pages/{page.pk}/edit/preview/"
    data = {
        "title": "Titre en prévisualisation",
        "slug": page.slug,
        "introduction": "",
        "body-count": "0",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    assert editor.post(preview_url, data).json()["is_valid"] is True
    response = editor.get(preview_url)
    assert "Titre en prévisualisation" in response.content.decode()
    assert response.get("X-Cache") is None
    assert "Titre en prévisualisation" not in Client().get(page.url).content.decode()


def test_a_page_with_a_csrf_token__is_never_stored_nor_shared(client) -> None:
    page = Page.objects.get(slug="le-carburateur")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    tokens = []
    for visitor in (Client(), Client()):
        response = visitor.get(page.url)
        assert response["X-Cache"] == "BYPASS"
        assert "private" in response["Cache-Control"]
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', response.text)[1])
    assert tokens[0] != tokens[1]


def test_a_restricted_section__is_dropped_from_cached_listings(client) -> None:
    directory = MemberIndexPage.objects.get()
    resident = MemberPage.objects.live().order_by("title").first()
    assert resident.title in verdict(client, directory.url)[1]
    PageViewRestriction.objects.create(
        page=resident, restriction_type=PageViewRestriction.GROUPS
    ).groups.add(Group.objects.first())
    state, html = verdict(client, directory.url)
    assert state == "MISS" and resident.title not in html


def test_the_signup_form__works_from_a_cached_page(client) -> None:
    resident = MemberPage.objects.live().first()
    client.get(resident.url)
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.get(resident.url)
    assert response["X-Cache"] == "HIT"
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    version = re.search(r'name="consent_version" value="(\d+)"', html)[1]
    topic = re.search(r'name="topics" value="([\w-]+)"', html)[1]
    answer = visitor.post(
        "/newsletter/",
        {
            "email": "lectrice@example.fr",
            "topics": [topic],
            "consent": "on",
            "consent_version": version,
            "source": resident.url,
        },
    )
    assert answer.status_code == 302
    assert Subscriber.objects.filter(status=Subscriber.Status.PENDING).count() == 1


def test_a_render_that_started_before_a_change__is_never_trusted() -> None:
    started_at = time.time()
    bump("page:1")
    assert not is_fresh(started_at, ["page:1"])
    assert is_fresh(time.time(), ["page:1"])
