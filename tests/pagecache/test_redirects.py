"""Redirects through ``pagecache.redirects``: a 404 no redirect matches costs no query, and a
redirect created, edited or deleted is honoured at once, as Wagtail's own middleware would."""

from __future__ import annotations

import pytest

from django.test import Client

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from home.models import HomePage
from members.models import MemberIndexPage
from tests.factories.members import MemberIndexPageFactory

pytestmark = pytest.mark.django_db

MISSING = "/cette-page-n-existe-pas/"


@pytest.fixture(params=["page cache off", "page cache on"])
def visitor(
    request: pytest.FixtureRequest, client: Client, settings, home_page: HomePage
) -> Client:  # type: ignore[no-untyped-def]
    """An anonymous visitor, with the whole-page cache off (fragments on, as measured by
    issue 16) and on (a stored 404 must give way to a new redirect as well)."""
    settings.PAGECACHE_ENABLED = request.param == "page cache on"
    settings.PAGECACHE_FRAGMENTS = True
    return client


def answer(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get("Location", "")


def test_a_404__costs_no_query_once_the_redirects_are_known(
    client: Client, home_page: HomePage, settings, django_assert_max_num_queries
) -> None:
    settings.PAGECACHE_ENABLED = False  # rendered every time, as in issue 16's bench
    Redirect.objects.create(old_path="/ancienne-adresse", redirect_link="/ailleurs/")
    assert answer(client, MISSING)[0] == 404  # learns the redirects' paths
    with django_assert_max_num_queries(0):
        assert answer(client, MISSING)[0] == 404
    # A path never seen by this process: its routing query only (then kept, as above).
    with django_assert_max_num_queries(1):
        assert answer(client, "/autre-page-absente/?x=1")[0] == 404


def test_a_redirect_created_after_a_404__is_honoured_at_once(visitor: Client) -> None:
    assert answer(visitor, MISSING) == (404, "")
    assert answer(visitor, MISSING) == (404, "")  # from the cache when it is on
    Redirect.objects.create(old_path=MISSING.rstrip("/"), redirect_link="/ailleurs/")
    assert answer(visitor, MISSING) == (301, "/ailleurs/")


def test_an_edited_redirect__moves_at_once(visitor: Client) -> None:
    redirect = Redirect.objects.create(old_path="/avant", redirect_link="/ailleurs/")
    assert answer(visitor, "/avant/") == (301, "/ailleurs/")
    assert answer(visitor, "/apres/") == (404, "")
    redirect.old_path = "/apres"
    redirect.is_permanent = False
    redirect.save()
    assert answer(visitor, "/avant/") == (404, "")
    assert answer(visitor, "/apres/") == (302, "/ailleurs/")


def test_a_deleted_redirect__stops_at_once_and_its_path_costs_no_query_again(
    visitor: Client, django_assert_max_num_queries
) -> None:
    redirect = Redirect.objects.create(old_path="/avant", redirect_link="/ailleurs/")
    assert answer(visitor, "/avant/") == (301, "/ailleurs/")
    redirect.delete()
    assert answer(visitor, "/avant/") == (404, "")
    with django_assert_max_num_queries(0):  # no longer among the redirects' paths
        assert answer(visitor, "/avant/") == (404, "")


def test_site_redirects__another_sites_is_ignored_and_this_sites_wins_over_every_sites(
    visitor: Client,
) -> None:
    other = Site.objects.create(
        hostname="autre.example", root_page=Page.objects.get(depth=1), is_default_site=False
    )
    assert answer(visitor, "/avant/") == (404, "")
    Redirect.objects.create(old_path="/avant", site=other, redirect_link="/la-bas/")
    assert answer(visitor, "/avant/") == (404, "")
    Redirect.objects.create(old_path="/avant", redirect_link="/partout/")
    assert answer(visitor, "/avant/") == (301, "/partout/")
    Redirect.objects.create(
        old_path="/avant", site=Site.objects.get(is_default_site=True), redirect_link="/ici/"
    )
    assert answer(visitor, "/avant/") == (301, "/ici/")


def test_query_string_redirects__match_as_in_wagtail(visitor: Client) -> None:
    assert answer(visitor, "/avant/?a=1") == (404, "")
    Redirect.objects.create(old_path="/avant?a=1", redirect_link="/avec-a/")
    Redirect.objects.create(old_path="/sans", redirect_link="/sans-requete/")
    assert answer(visitor, "/avant/?a=1") == (301, "/avec-a/")
    assert answer(visitor, "/avant/?a=2") == (404, "")
    assert answer(visitor, "/sans/?utm_source=lettre") == (301, "/sans-requete/")


def test_a_redirect_from_an_accented_path__matches_its_encoded_form(visitor: Client) -> None:
    assert answer(visitor, "/caf%C3%A9/") == (404, "")
    Redirect.objects.create(old_path="/café", redirect_link="/cafe/")
    assert answer(visitor, "/caf%C3%A9/") == (301, "/cafe/")


def test_a_renamed_page__redirects_from_its_old_path_at_once(
    visitor: Client, home_page: HomePage, django_capture_on_commit_callbacks
) -> None:
    directory: MemberIndexPage = MemberIndexPageFactory(parent=home_page, slug="residents")
    assert answer(visitor, "/residents/")[0] == 200
    assert answer(visitor, "/annuaire/") == (404, "")
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail creates it after commit
        directory.slug = "annuaire"
        directory.save_revision().publish()
    assert answer(visitor, "/residents/") == (301, "/annuaire/")
