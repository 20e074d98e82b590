"""Query strings and error pages in the page cache: what makes an entry and what never does."""

from __future__ import annotations

import pytest

from django.test import Client

from members.models import MemberIndexPage

from .conftest import verdict

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]


def test_tracking_parameters__are_served_the_entry_of_the_page_without_them(
    client: Client,
) -> None:
    first, html = verdict(client, "/")

    assert first == "MISS"
    for query in ("?utm_source=lettre&utm_medium=email", "?fbclid=IwAR0abc", "?gclid=x&utm_id=2"):
        again, same = verdict(client, "/" + query)
        assert again == "HIT", query
        assert same == html


def test_tracking_parameters__do_not_split_a_filtered_listing_either(client: Client) -> None:
    directory = MemberIndexPage.objects.get().url

    assert verdict(client, directory + "?artisan=oui")[0] == "MISS"
    assert verdict(client, directory + "?utm_campaign=printemps&artisan=oui")[0] == "HIT"


def test_an_unknown_parameter__bypasses_the_cache_every_time(client: Client) -> None:
    for _attempt in range(2):
        answer = client.get("/?nimportequoi=1")
        assert answer.status_code == 200  # the page itself, rendered for this visitor
        assert answer["X-Cache"] == "BYPASS"
        assert "private" in answer["Cache-Control"]
    # The page without it is still a miss: nothing was stored for the made-up query.
    assert verdict(client, "/")[0] == "MISS"


def test_a_repeated_or_overlong_known_parameter__bypasses_the_cache(client: Client) -> None:
    directory = MemberIndexPage.objects.get().url

    assert verdict(client, directory + "?artisan=oui&artisan=non")[0] == "BYPASS"
    assert verdict(client, directory + "?page=" + "9" * 80)[0] == "BYPASS"


def test_query_variants_of_one_page__are_bounded(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGECACHE_MAX_VARIANTS = 2
    directory = MemberIndexPage.objects.get().url

    verdicts = [verdict(client, f"{directory}?page={number}")[0] for number in range(1, 5)]

    assert verdicts == ["MISS", "MISS", "BYPASS", "BYPASS"]
    assert verdict(client, f"{directory}?page=1")[0] == "HIT"  # those stored are served
    assert verdict(client, directory)[0] == "MISS"  # the page itself is never refused
    assert verdict(client, directory)[0] == "HIT"


def test_under_debug__the_technical_404_is_never_stored(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True

    answers = [client.get("/cette-page-n-existe-pas/") for _attempt in range(2)]

    assert [answer.status_code for answer in answers] == [404, 404]
    assert [answer.get("X-Cache") for answer in answers] == ["BYPASS", "BYPASS"]
    assert all("private" in answer["Cache-Control"] for answer in answers)


def test_without_debug__the_sites_404_page_is_still_stored(client: Client) -> None:
    assert verdict(client, "/cette-page-n-existe-pas/")[0] == "MISS"
    assert verdict(client, "/cette-page-n-existe-pas/")[0] == "HIT"
