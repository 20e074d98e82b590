"""Cached fragments (header, footer, home page sections): reused while nothing they show
changed, rebuilt on the next render after a change, exactly like whole pages.

The page cache is off here, so that every response is rendered and only a fragment could show
something stale."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest
import time_machine

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page

from home.models import NavigationSettings, SiteSettings
from members.models import MemberPage
from news.models import ArticlePage, NewsIndexPage
from pagecache import fragment, mark_uncacheable, record, valid_until
from pagecache.tags import Collector, _collector, bump
from programs.models import EventPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]


@pytest.fixture(autouse=True)
def fragments_only(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGECACHE_ENABLED = False
    settings.PAGECACHE_FRAGMENTS = True


def render(client: Client, url: str) -> tuple[int, str]:
    """The number of queries a render of ``url`` costs, and its HTML."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_home_sections__are_reused_until_an_article_is_published(client) -> None:
    first, _html = render(client, "/")
    reused, html = render(client, "/")
    assert reused < first - 3
    assert "Un nouvel atelier de céramique" not in html

    article = ArticlePage(
        title="Un nouvel atelier de céramique", slug="atelier-ceramique", date=datetime.date.today()
    )
    NewsIndexPage.objects.get().add_child(instance=article)
    article.save_revision().publish()
    after, html = render(client, "/")
    assert after > reused
    assert "Un nouvel atelier de céramique" in html


def test_home_resident_count__follows_an_unpublished_resident(client) -> None:
    count = MemberPage.objects.live().count()
    assert f'<strong class="key-figures__figure">{count}</strong>' in render(client, "/")[1]
    MemberPage.objects.live().first().unpublish()
    assert f'<strong class="key-figures__figure">{count - 1}</strong>' in render(client, "/")[1]


def test_footer__shows_new_site_settings_on_every_page_at_once(client) -> None:
    resident = MemberPage.objects.live().first()
    render(client, resident.url)
    render(client, "/")
    settings = SiteSettings.objects.get()
    settings.phone = "04 91 99 99 99"
    settings.save()
    assert "04 91 99 99 99" in render(client, resident.url)[1]
    assert "04 91 99 99 99" in render(client, "/")[1]


def test_site_settings_kept_on_the_request__are_recorded_again_when_reused(rf) -> None:
    """A fragment that reuses the settings row the page already read still depends on it."""
    request = rf.get("/")
    SiteSettings.for_request(request)  # read by the page, before the fragment
    token = _collector.set(Collector())
    try:
        SiteSettings.for_request(request)
        assert "model:home.SiteSettings" in _collector.get().tags
    finally:
        _collector.reset(token)


def test_header__shows_a_page_renamed_in_the_menu(client) -> None:
    resident = MemberPage.objects.live().first()
    about = Page.objects.get(slug="le-carburateur").specific
    assert about.title in render(client, resident.url)[1]
    navigation = NavigationSettings.for_site(about.get_site())
    navigation.header_links = [("item", {"page": about, "label": "Le lieu et son histoire"})]
    navigation.save()
    assert "Le lieu et son histoire" in render(client, resident.url)[1]


def test_header__marks_the_current_page_per_path(client) -> None:
    about = Page.objects.get(slug="le-carburateur")
    render(client, "/")
    html = render(client, about.url)[1]
    assert f'<a href="{about.url}" aria-current="page">' in html
    assert f'<a href="{about.url}" aria-current="page">' not in render(client, "/")[1]


def test_home_events__drop_an_event_once_it_is_over(client) -> None:
    event = EventPage.objects.live().filter(start__gt=timezone.now()).order_by("start").first()
    link = f'href="{event.url}"'
    assert link in render(client, "/")[1]
    with time_machine.travel(event.end + timedelta(minutes=1)):
        assert link not in render(client, "/")[1]


def counting_render() -> tuple[list[int], object]:
    calls: list[int] = []

    def render_piece() -> str:
        calls.append(1)
        record("page:424242")
        return f"<p>{len(calls)}</p>"

    return calls, render_piece


def test_fragment__is_rendered_again_once_a_tag_it_recorded_is_bumped() -> None:
    calls, render_piece = counting_render()
    assert fragment("test:bump", render_piece) == "<p>1</p>"
    assert fragment("test:bump", render_piece) == "<p>1</p>"
    bump("page:424242")
    assert fragment("test:bump", render_piece) == "<p>2</p>"
    assert len(calls) == 2


def test_fragment__hands_its_tags_and_deadline_to_the_page_that_shows_it() -> None:
    deadline = timezone.now() + timedelta(hours=1)

    def render_piece() -> str:
        record("page:515151")
        valid_until(deadline)
        return "<p>agenda</p>"

    for _ in range(2):  # rendered, then from the cache: the page learns the same either way
        token = _collector.set(Collector())
        try:
            fragment("test:deadline", render_piece)
            page = _collector.get()
        finally:
            _collector.reset(token)
        assert "page:515151" in page.tags
        assert page.expires_at == deadline.timestamp()


def test_fragment__is_not_kept_past_its_deadline() -> None:
    calls: list[int] = []

    def render_piece() -> str:
        calls.append(1)
        valid_until(timezone.now() + timedelta(minutes=5))
        return "<p>bientôt</p>"

    fragment("test:expiry", render_piece)
    fragment("test:expiry", render_piece)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        fragment("test:expiry", render_piece)
    assert len(calls) == 2


def test_fragment_that_refuses_caching__is_not_kept_and_refuses_the_page() -> None:
    calls: list[int] = []

    def render_piece() -> str:
        calls.append(1)
        mark_uncacheable()
        return "<p>jeton</p>"

    token = _collector.set(Collector())
    try:
        fragment("test:refused", render_piece)
        fragment("test:refused", render_piece)
        assert _collector.get().refused
    finally:
        _collector.reset(token)
    assert len(calls) == 2


def test_fragment__kept_by_this_process_is_not_trusted_once_the_shared_cache_is_emptied() -> None:
    calls, render_piece = counting_render()
    fragment("test:flushed", render_piece)
    cache.clear()  # the tag times are gone: nothing built before can be proven fresh
    assert fragment("test:flushed", render_piece) == "<p>2</p>"
    assert fragment("test:flushed", render_piece) == "<p>2</p>"
    assert len(calls) == 2


def test_home_events__show_an_event_edit_at_once(client) -> None:
    event = EventPage.objects.live().filter(start__gt=timezone.now()).order_by("start").first()
    render(client, "/")
    assert f'href="{event.url}"' in render(client, "/")[1]  # from the stored sections
    event = EventPage.objects.get(pk=event.pk)
    event.title = "Atelier renommé pour le test"
    event.save_revision().publish()
    assert "Atelier renommé pour le test" in render(client, "/")[1]


def test_listing_cards__one_round_trip_for_the_cards_and_one_for_their_tag_times() -> None:
    """Stored cards are fetched together, and their tag times read together."""
    from unittest import mock

    from pagecache import fragments
    from pagecache.tags import begin_tag_snapshot, end_tag_snapshot

    def piece(number: int) -> tuple[str, object]:
        def render() -> str:
            record(f"page:{900 + number}")
            return f"<li>{number}</li>"

        return f"test:card:{number}", render

    pieces = [piece(number) for number in range(30)]
    assert fragments(pieces) == [f"<li>{n}</li>" for n in range(30)]
    from pagecache import tags as tagging

    tagging._local_fragments.entries.clear()  # another process: only the shared cache has them
    token = begin_tag_snapshot()
    try:
        with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
            assert fragments(pieces) == [f"<li>{n}</li>" for n in range(30)]
            # Again in the same request: no round trip at all.
            assert fragments(pieces) == [f"<li>{n}</li>" for n in range(30)]
    finally:
        end_tag_snapshot(token)
    assert get_many.call_count == 2  # the 30 cards, then the 30 tags (and the floor)
