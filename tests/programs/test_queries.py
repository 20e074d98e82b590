"""Listings cost a constant number of SQL queries: the same for 5 items as for 200."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programs.listings import featured_programs, open_contests, upcoming_events
from programs.models import PartnerPage
from tests.factories.programs import ContestEntryFactory, PartnerPageFactory

from .conftest import make_image

pytestmark = pytest.mark.django_db

# Pinned from measurements, with a little room for the site-wide header and footer.
EVENT_LISTING_MAX_QUERIES = 12
PROGRAM_LISTING_MAX_QUERIES = 14
FEED_MAX_QUERIES = 10


def warm_up(client: Client, url: str) -> None:
    """A first request fills the caches and generates renditions, as on a live site."""
    assert client.get(url).status_code == 200


def count_queries(client: Client, url: str) -> int:
    """Queries of a warm request."""
    warm_up(client, url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def add_events(make_event: Callable[..., object], count: int, program: object) -> None:
    """``count`` events, half of them still to come and half already past."""
    now = timezone.now()
    for n in range(count):
        start = now + timedelta(days=n + 1) if n % 2 else now - timedelta(days=n + 2)
        make_event(f"Séance {n}", start=start, program=program)


ROUTES = {"": EVENT_LISTING_MAX_QUERIES, "passes/": EVENT_LISTING_MAX_QUERIES}
ROUTES["ical/"] = FEED_MAX_QUERIES


@pytest.mark.usefixtures("page_cache_off")
def test_event_listing__same_queries_for_5_and_200_events(
    client, django_assert_max_num_queries, event_index, make_program, make_event
) -> None:
    program = make_program("Formation")
    add_events(make_event, 5, program)
    with_5 = {route: count_queries(client, event_index.url + route) for route in ROUTES}
    add_events(make_event, 195, program)
    for route, bound in ROUTES.items():
        warm_up(client, event_index.url + route)
        with django_assert_max_num_queries(bound) as with_200:
            client.get(event_index.url + route)
        assert len(with_200) == with_5[route], route


def add_programs(make_program: Callable[..., object], count: int, partner: object) -> None:
    for _ in range(count):
        make_program("Programme", partner=partner, listing_image=make_image())


@pytest.mark.usefixtures("page_cache_off")
def test_program_index__same_queries_for_5_and_200_programs(
    client, django_assert_max_num_queries, program_index, make_program, cma
) -> None:
    add_programs(make_program, 5, cma)
    with_5 = count_queries(client, program_index.url)
    add_programs(make_program, 195, cma)
    warm_up(client, program_index.url)
    with django_assert_max_num_queries(PROGRAM_LISTING_MAX_QUERIES) as with_200:
        client.get(program_index.url)
    assert len(with_200) == with_5


@pytest.mark.usefixtures("page_cache_off")
def test_contest_and_partner_indexes__same_queries_for_few_and_many(
    client, contest_index, partner_index, make_contest, members, cma
) -> None:
    now = timezone.now()

    def add_contests(count: int) -> None:
        """``count`` contests of each status: open, still to come, closed."""
        for n in range(count):
            for opens, closes in (
                (now - timedelta(days=n + 1), now + timedelta(days=n + 1)),
                (now + timedelta(days=n + 1), now + timedelta(days=n + 9)),
                (now - timedelta(days=n + 9), now - timedelta(days=n + 1)),
            ):
                contest = make_contest(opens, closes)
                for order, member in enumerate(members):
                    ContestEntryFactory(contest=contest, member=member, sort_order=order)

    add_contests(2)
    with_few = count_queries(client, contest_index.url)
    add_contests(20)
    assert count_queries(client, contest_index.url) == with_few

    def add_partners(count: int) -> None:
        for _ in range(count):
            n = PartnerPage.objects.count()
            PartnerPageFactory(
                parent=partner_index, title=f"Partenaire {n}", slug=f"p-{n}", logo=make_image()
            )

    add_partners(3)
    with_few = count_queries(client, partner_index.url)
    add_partners(30)
    assert count_queries(client, partner_index.url) == with_few


@pytest.mark.usefixtures("page_cache_off")
def test_home_page_listings__constant_queries_whatever_the_count(
    django_assert_num_queries, make_program, make_event, make_contest, members, cma
) -> None:
    program = make_program("Formation", partner=cma, featured=True, listing_image=make_image())
    now = timezone.now()
    for n in range(30):
        make_event(f"Séance {n}", start=now + timedelta(days=n + 1), program=program)
        make_program("Programme", partner=cma, featured=True, listing_image=make_image())
        contest = make_contest(now - timedelta(days=1), now + timedelta(days=n + 1))
        ContestEntryFactory(contest=contest, member=members[0])

    # events + program; contests + entries with members; programs + partner + images + renditions
    with django_assert_num_queries(1):
        events = list(upcoming_events(6))
        assert [e.program.title for e in events] == ["Formation"] * 6
    with django_assert_num_queries(2):
        contests = list(open_contests(3))
        assert [[e.member.title for e in c.entries.all()] for c in contests] == [
            ["La Compagnie des Bocaux"]
        ] * 3
    with django_assert_num_queries(3):
        programs = list(featured_programs(8))
        assert len(programs) == 8
        assert all(p.partner.short_name == "CMA" for p in programs)
        assert all(p.listing_image.prefetched_renditions == [] for p in programs)
