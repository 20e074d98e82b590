"""Routing through the routes a process keeps (``core.routing``): one query for a known path,
and never a stale answer once a page is renamed, moved, unpublished or deleted."""

from __future__ import annotations

import pytest

from django.test import Client

from wagtail.models import PageViewRestriction

from home.models import HomePage
from members.models import MemberIndexPage, MemberPage
from programs.models import EventIndexPage
from tests.factories.members import MemberIndexPageFactory, MemberPageFactory
from tests.factories.programs import EventIndexPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(home_page: HomePage) -> MemberIndexPage:
    return MemberIndexPageFactory(parent=home_page, slug="residents")


@pytest.fixture
def resident(directory: MemberIndexPage) -> MemberPage:
    return MemberPageFactory(parent=directory, slug="bocaux", company_name="Les Bocaux")


def status(client: Client, url: str) -> int:
    return client.get(url).status_code


def test_a_known_path__is_routed_in_one_query(
    client: Client, resident: MemberPage, settings, django_assert_max_num_queries
) -> None:
    settings.PAGECACHE_ENABLED = False
    assert status(client, "/residents/bocaux/") == 200
    with django_assert_max_num_queries(1) as captured:
        assert status(client, "/residents/bocaux/") == 200
    routing = [q["sql"] for q in captured.captured_queries if '"slug" = ' in q["sql"]]
    assert routing == []  # no lookup by slug, segment by segment: the page by its id


def test_a_renamed_page__leaves_its_old_path_at_once(client: Client, resident: MemberPage) -> None:
    assert status(client, "/residents/bocaux/") == 200
    resident.slug = "les-bocaux"
    resident.save_revision().publish()
    assert status(client, "/residents/bocaux/") == 404
    assert status(client, "/residents/les-bocaux/") == 200


def test_a_renamed_section__moves_every_page_below_it(
    client: Client, directory: MemberIndexPage, resident: MemberPage
) -> None:
    assert status(client, "/residents/bocaux/") == 200
    directory.slug = "annuaire"
    directory.save_revision().publish()
    assert status(client, "/residents/bocaux/") == 404
    assert status(client, "/annuaire/bocaux/") == 200


def test_a_moved_page__is_found_at_its_new_path_only(
    client: Client, home_page: HomePage, resident: MemberPage
) -> None:
    other = MemberIndexPageFactory(parent=home_page, slug="anciens")
    assert status(client, "/residents/bocaux/") == 200
    resident.move(other, pos="last-child")
    # Wagtail's own redirect from the old path, not the page served there any longer.
    assert status(client, "/residents/bocaux/") == 301
    assert status(client, "/anciens/bocaux/") == 200


def test_an_unpublished_or_deleted_page__is_gone_at_once(
    client: Client, directory: MemberIndexPage, resident: MemberPage
) -> None:
    other = MemberPageFactory(parent=directory, slug="autre")
    assert status(client, "/residents/bocaux/") == 200
    assert status(client, "/residents/autre/") == 200
    resident.unpublish()
    other.delete()
    assert status(client, "/residents/bocaux/") == 404
    assert status(client, "/residents/autre/") == 404


def test_a_routable_page__still_serves_its_own_sub_paths(
    client: Client, home_page: HomePage
) -> None:
    agenda: EventIndexPage = EventIndexPageFactory(parent=home_page, slug="agenda")
    for _ in range(2):  # the second time through the kept route
        assert status(client, "/agenda/") == 200
        assert status(client, "/agenda/passes/") == 200
        assert client.get("/agenda/ical/")["Content-Type"].startswith("text/calendar")
    assert status(client, "/agenda/nulle-part/") == 404
    assert agenda.live


def test_a_page_made_private__asks_for_a_login_at_once(
    client: Client, resident: MemberPage
) -> None:
    assert status(client, "/residents/bocaux/") == 200
    PageViewRestriction.objects.create(page=resident, restriction_type="login")
    for _ in range(2):  # the second time through the route kept after the change
        response = client.get("/residents/bocaux/")
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_a_path_that_led_nowhere__finds_a_page_published_there_at_once(
    client: Client, directory: MemberIndexPage
) -> None:
    for _ in range(2):  # the second time through the kept "not found"
        assert status(client, "/residents/bocaux/") == 404
    MemberPageFactory(parent=directory, slug="bocaux")
    assert status(client, "/residents/bocaux/") == 200
