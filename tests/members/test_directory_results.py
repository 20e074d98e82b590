"""The directory's page of results kept whole as one fragment (page cache off, fragments on):
stored, it costs no query; a resident published, withdrawn or deleted, a new page of results
and a trade renamed to a filter's value show at once; an unusual query is never stored."""

from __future__ import annotations

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members.models import MEMBERS_PER_PAGE, MemberIndexPage, MemberPage, Trade

from .conftest import MakeMember
from .test_directory import listed_companies
from .test_directory_cards import html_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_only(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGECACHE_ENABLED = False
    settings.PAGECACHE_FRAGMENTS = True


@pytest.fixture
def full_page(make_member: MakeMember) -> list[MemberPage]:
    """Exactly one page of residents, titled to sort before any added later."""
    return [
        make_member(title=f"A {n:02d}", company_name=f"A {n:02d}") for n in range(MEMBERS_PER_PAGE)
    ]


def listing_queries(client: Client, url: str, **query: str) -> list[str]:
    """The queries of one request that read the residents or the trades."""
    with CaptureQueriesContext(connection) as queries:
        html_of(client, url, **query)
    return [
        q["sql"] for q in queries if "members_memberpage" in q["sql"] or "members_trade" in q["sql"]
    ]


def heading(html: str) -> str:
    start = html.index('<h2 id="resultats">') + len('<h2 id="resultats">')
    return " ".join(html[start : html.index("</h2>", start)].split())


def test_directory__stored_page_of_results__costs_no_query(
    client: Client, directory: MemberIndexPage, make_member: MakeMember, trades: dict[str, Trade]
) -> None:
    make_member(trade=trades["batiment"], is_artisan=True)
    for query in ({}, {"trade": "batiment", "artisan": "oui"}, {"page": "1"}):
        assert listing_queries(client, directory.url, **query)  # rendered and stored
        with CaptureQueriesContext(connection) as queries:
            stored = html_of(client, directory.url, **query)
        assert len(queries) == 0, query
        assert listed_companies(stored)


def test_directory__shows_a_newly_published_resident_and_a_new_page_of_results(
    client: Client, directory: MemberIndexPage, make_member: MakeMember, full_page: list
) -> None:
    html_of(client, directory.url)
    html = html_of(client, directory.url)
    assert heading(html) == f"{MEMBERS_PER_PAGE} résidents"
    assert 'rel="next"' not in html

    make_member(title="Zinc et Cie", company_name="Zinc et Cie")
    html = html_of(client, directory.url)
    assert heading(html) == f"{MEMBERS_PER_PAGE + 1} résidents"
    assert "Page 1 sur 2" in html
    assert listed_companies(html_of(client, directory.url, page="2")) == ["Zinc et Cie"]


def test_directory__drops_a_resident_unpublished_from_another_page_of_results(
    client: Client, directory: MemberIndexPage, make_member: MakeMember, full_page: list
) -> None:
    """The resident is not on the first page, whose count and pagination still change."""
    last = make_member(title="Zinc et Cie", company_name="Zinc et Cie")
    html_of(client, directory.url)
    assert "Page 1 sur 2" in html_of(client, directory.url)

    MemberPage.objects.get(pk=last.pk).unpublish()
    html = html_of(client, directory.url)
    assert heading(html) == f"{MEMBERS_PER_PAGE} résidents"
    assert "Page 1 sur 2" not in html


def test_directory__drops_a_deleted_resident_from_another_page_of_results(
    client: Client, directory: MemberIndexPage, make_member: MakeMember, full_page: list
) -> None:
    last = make_member(title="Zinc et Cie", company_name="Zinc et Cie")
    assert heading(html_of(client, directory.url)) == f"{MEMBERS_PER_PAGE + 1} résidents"
    MemberPage.objects.get(pk=last.pk).delete()
    assert heading(html_of(client, directory.url)) == f"{MEMBERS_PER_PAGE} résidents"


def test_filtered_directory__follows_a_trade_renamed_to_the_filter_s_value(
    client: Client, directory: MemberIndexPage, make_member: MakeMember, full_page: list
) -> None:
    """Asked for an unknown trade, the directory lists everyone (first page: no trade shown);
    once a trade practised on another page is renamed to it, it lists that trade's residents."""
    trade = Trade.objects.create(name="Zinguerie", slug="zinguerie")
    make_member(title="Zinc et Cie", company_name="Zinc et Cie", trade=trade)
    html_of(client, directory.url, trade="ferronnerie")
    assert (
        heading(html_of(client, directory.url, trade="ferronnerie"))
        == f"{MEMBERS_PER_PAGE + 1} résidents"
    )

    trade.name, trade.slug = "Ferronnerie", "ferronnerie"
    trade.save()
    html = html_of(client, directory.url, trade="ferronnerie")
    assert heading(html) == "1 résident pour ces critères"
    assert listed_companies(html) == ["Zinc et Cie"]


@pytest.mark.parametrize(
    "query",
    [
        {"trade": "x" * 65},  # longer than any slug
        {"trade": "bâtiment ou pas"},  # not slug-like
        {"page": "12345"},  # more pages than any listing here
        {"page": "-1"},
    ],
)
def test_directory__unusual_query__is_rendered_every_time_never_stored(
    client: Client, directory: MemberIndexPage, make_member: MakeMember, query: dict[str, str]
) -> None:
    make_member(company_name="Bocaux")
    html_of(client, directory.url, **query)
    assert listing_queries(client, directory.url, **query)
    assert listed_companies(html_of(client, directory.url, **query)) == ["Bocaux"]


def test_directory__repeated_parameter__is_rendered_every_time_never_stored(
    client: Client, directory: MemberIndexPage, make_member: MakeMember
) -> None:
    make_member(company_name="Bocaux")
    url = f"{directory.url}?page=1&page=1"
    html_of(client, url)
    assert listing_queries(client, url)
