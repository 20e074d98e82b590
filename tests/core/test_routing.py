"""Routing through the routes a process keeps (``core.routing``): one query for a known path,
and never a stale answer once a page is renamed, moved, unpublished or deleted; a path not
routed yet in two queries (``url_path``, then the page), with Wagtail's answer every time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest

from django.core.cache import cache
from django.http import Http404
from django.test import Client, RequestFactory

from wagtail.models import Page, PageViewRestriction, Site

from core.images import generate
from core.routing import kept_routes
from home.models import HomePage
from members.models import MemberIndexPage, MemberPage
from programs.models import EventIndexPage, PartnerPage
from tests.factories.members import MemberIndexPageFactory, MemberPageFactory
from tests.factories.pages import ImageFactory
from tests.factories.programs import (
    EventIndexPageFactory,
    EventPageFactory,
    PartnerPageFactory,
    ProgramPageFactory,
)

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


# --- The first visit of a page no one asked for yet (issue 16, "no cold first visit").


def a_programme() -> Page:
    """A programme of the partner (the same one every time)."""
    partner = PartnerPage.objects.first() or PartnerPageFactory()
    return ProgramPageFactory(partner=partner)


def an_event() -> Page:
    return EventPageFactory(program=a_programme())


def a_resident() -> Page:
    resident = MemberPageFactory(logo=ImageFactory(title="Logo"))
    generate([resident.logo])  # made ahead, as at upload or publication (core.tasks)
    return resident


@pytest.mark.parametrize(
    ("make", "max_queries"),
    [
        # Wagtail's walk took 7, 8 and 9: the section and the page by slug, each then by type,
        # and the rows the template shows (program, partner, logo) one by one.
        (an_event, 3),  # the path, the page with its program, the breadcrumbs
        (a_programme, 4),  # ... with its partner, the breadcrumbs, the next sessions
        (a_resident, 5),  # ... with its trade and logo, the breadcrumbs, two related lists
    ],
)
def test_a_page_never_visited__is_routed_in_two_queries(
    client: Client,
    home_page: HomePage,
    page_cache_off: None,
    django_assert_max_num_queries: Any,
    make: Callable[[], Page],
    max_queries: int,
) -> None:
    seen, unseen = make(), make()
    assert status(client, seen.url) == 200  # templates and site-wide memos are warm
    with django_assert_max_num_queries(max_queries):
        assert status(client, unseen.url) == 200


def test_a_page_never_visited__reads_the_tag_times_every_page_reads_in_one_round_trip(
    client: Client, home_page: HomePage, page_cache_off: None
) -> None:
    """Its tag times (settings, menus, sites) with the floor, as the last page read them: not
    one round trip for each memo or menu that reads them (pagecache.middleware)."""
    # Addresses no other test asks for: this process keeps what each address read.
    seen = MemberPageFactory(slug="deja-vu-pour-les-etiquettes")
    unseen = MemberPageFactory(slug="jamais-vu-pour-les-etiquettes")
    for _ in range(2):  # its memos computed, then read as kept
        assert status(client, seen.url) == 200
    with (
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
        mock.patch.object(cache, "add", wraps=cache.add) as add,
    ):
        assert status(client, unseen.url) == 200
    assert add.call_count == 0  # the floor was read with them: no need to store it
    assert get_many.call_count == 1  # was 7: one for each memo or menu, as it came


# Its answer is Wagtail's: each path below through HTTP, then all of them against Wagtail's
# own walk from the site's root (``Page.route``), routed afresh.


@pytest.fixture
def agenda(home_page: HomePage) -> EventIndexPage:
    return EventIndexPageFactory(parent=home_page, slug="agenda")


def test_a_routable_page_below_a_section__serves_its_sub_paths(
    client: Client, agenda: EventIndexPage
) -> None:
    EventPageFactory(parent=agenda, slug="atelier")
    assert client.get("/agenda/atelier/ical/")["Content-Type"].startswith("text/calendar")
    assert status(client, "/agenda/atelier/") == 200
    assert status(client, "/agenda/atelier/nulle-part/") == 404


def test_a_live_routable_section__keeps_its_sub_path_over_a_child_of_that_slug(
    client: Client, agenda: EventIndexPage
) -> None:
    EventPageFactory(parent=agenda, slug="passes", title="Un événement nommé passes")
    response = client.get("/agenda/passes/")
    assert response.status_code == 200
    assert "Un événement nommé passes" not in response.content.decode()  # the past events
    agenda.unpublish()
    # Unpublished, the section no longer serves its own sub-paths: Wagtail goes on to the child.
    assert "Un événement nommé passes" in client.get("/agenda/passes/").content.decode()


def test_a_draft_page__is_not_found(client: Client, directory: MemberIndexPage) -> None:
    MemberPageFactory(parent=directory, slug="brouillon", live=False)
    for _ in range(2):  # the second time through the kept "not found"
        assert status(client, "/residents/brouillon/") == 404
    assert status(client, "/residents/") == 200  # the request itself was valid


def test_a_page_below_an_unpublished_section__is_served_as_wagtail_serves_it(
    client: Client, directory: MemberIndexPage, resident: MemberPage
) -> None:
    directory.unpublish()  # Wagtail checks only the page's own status, not its ancestors'
    assert status(client, "/residents/") == 404
    assert status(client, "/residents/bocaux/") == 200


def test_a_page_below_a_private_section__asks_for_a_login_on_its_first_visit(
    client: Client, directory: MemberIndexPage, resident: MemberPage
) -> None:
    PageViewRestriction.objects.create(page=directory, restriction_type="login")
    response = client.get("/residents/bocaux/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_a_path_with_a_segment_too_many__is_not_found(client: Client, resident: MemberPage) -> None:
    assert status(client, "/residents/bocaux/en-trop/") == 404
    assert status(client, "/residents/bocaux/") == 200


def test_another_site__routes_from_its_own_root(
    client: Client, directory: MemberIndexPage, resident: MemberPage
) -> None:
    Site.objects.create(hostname="annuaire.example", root_page=directory, port=80)
    assert status(client, "/residents/bocaux/") == 200
    assert client.get("/bocaux/", HTTP_HOST="annuaire.example").status_code == 200
    assert client.get("/residents/bocaux/", HTTP_HOST="annuaire.example").status_code == 404
    assert status(client, "/bocaux/") == 404


def route_summary(route: Callable[[], Any]) -> tuple[Any, ...]:
    """Where a route led: the page's type and id, and a routable view's name and arguments."""
    try:
        page, args, kwargs = route()
    except Http404:
        return ("404",)
    if args:  # a routable page's view, its arguments and keyword arguments
        view, view_args, view_kwargs = args
        args = (view.__name__, view_args, view_kwargs)
    return (type(page).__name__, page.pk, args, kwargs)


def test_every_path__leads_where_wagtails_walk_leads(
    home_page: HomePage, agenda: EventIndexPage, directory: MemberIndexPage, resident: MemberPage
) -> None:
    EventPageFactory(parent=agenda, slug="atelier")
    EventPageFactory(parent=agenda, slug="passes")
    MemberPageFactory(parent=directory, slug="brouillon", live=False)
    resident.create_alias(parent=MemberIndexPageFactory(parent=home_page, slug="anciens"))
    paths = [
        "/agenda/", "/agenda/passes/", "/agenda/ical/", "/agenda/atelier/",
        "/agenda/atelier/ical/", "/agenda/atelier/en-trop/", "/agenda/nulle-part/",
        "/residents/bocaux/", "/residents/brouillon/", "/residents/bocaux/en-trop/",
        "/anciens/bocaux/", "/nulle-part/", "/nulle-part/bocaux/",
    ]  # fmt: skip
    requests = RequestFactory()
    for unpublished in (None, agenda, directory):
        if unpublished is not None:
            unpublished.unpublish()
        for path in paths:
            request = requests.get(path)
            components = [component for component in path.split("/") if component]
            kept_routes.clear()  # routed afresh, by url_path
            ours = route_summary(lambda: home_page.route(request, components))  # noqa: B023
            wagtails = route_summary(lambda: Page.route(home_page, request, components))  # noqa: B023
            assert ours == wagtails, (path, unpublished)
