"""The residents' directory: filters (including bad values), pagination and its SQL cost."""

from __future__ import annotations

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import MEMBERS_PER_PAGE, MemberIndexPage, SpaceType, Trade
from tests.factories.pages import ImageFactory

from .conftest import MakeMember

# The directory's first page costs this many queries at most, whether it lists 5 residents or
# 200 (11 today; the margin is for the constant cost of site-wide navigation and settings).
DIRECTORY_MAX_QUERIES = 15


def listed_companies(html: str) -> list[str]:
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def residents(make_member: MakeMember, trades: dict[str, Trade]) -> None:
    for company, trade, is_artisan, space in [
        ("Bocaux", "conserverie", True, SpaceType.STORAGE),
        ("Medinscop", "batiment", False, SpaceType.STORAGE),
        ("Maçonnerie du Nord", "batiment", True, SpaceType.WORKSHOP),
        ("Appli Quartier", "numerique", False, SpaceType.COWORKING),
    ]:
        make_member(
            company_name=company, trade=trades[trade], is_artisan=is_artisan, space_type=space
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Appli Quartier", "Bocaux", "Maçonnerie du Nord", "Medinscop"]),
        ({"trade": "batiment"}, ["Maçonnerie du Nord", "Medinscop"]),
        ({"space": "stockage"}, ["Bocaux", "Medinscop"]),
        ({"artisan": "oui"}, ["Bocaux", "Maçonnerie du Nord"]),
        ({"artisan": "non"}, ["Appli Quartier", "Medinscop"]),
        ({"trade": "batiment", "artisan": "oui", "space": "atelier"}, ["Maçonnerie du Nord"]),
        ({"trade": "conserverie", "space": "coworking"}, []),
    ],
)
def test_directory__filters_by_trade_space_and_artisan_status(
    client,
    directory: MemberIndexPage,
    residents: None,
    query: dict[str, str],
    expected: list[str],
) -> None:
    response = client.get(directory.url, query)
    assert response.status_code == 200
    assert sorted(listed_companies(response.content.decode())) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"trade": "inconnu"}, "Ce métier est inconnu : le filtre a été ignoré."),
        ({"space": "piscine"}, "Ce type d&#x27;espace est inconnu : le filtre a été ignoré."),
        ({"artisan": "maybe"}, "Ce statut est inconnu : le filtre a été ignoré."),
    ],
)
def test_directory__ignores_a_bad_filter_value_with_a_french_message(
    client, directory: MemberIndexPage, residents: None, query: dict[str, str], message: str
) -> None:
    response = client.get(directory.url, query)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert len(listed_companies(html)) == 4


@pytest.mark.django_db
def test_directory__keeps_the_valid_filters_when_another_is_bad(
    client, directory: MemberIndexPage, residents: None
) -> None:
    response = client.get(directory.url, {"trade": "batiment", "artisan": "maybe"})
    assert sorted(listed_companies(response.content.decode())) == [
        "Maçonnerie du Nord",
        "Medinscop",
    ]


@pytest.mark.django_db
def test_directory__offers_only_trades_that_residents_practise(
    client, directory: MemberIndexPage, make_member: MakeMember, trades: dict[str, Trade]
) -> None:
    make_member(trade=trades["batiment"])
    html = client.get(directory.url).content.decode()
    assert '<option value="batiment">Bâtiment</option>' in html
    assert 'value="numerique"' not in html


@pytest.mark.django_db
def test_directory__hides_unpublished_residents(
    client, directory: MemberIndexPage, make_member: MakeMember
) -> None:
    make_member(company_name="Publié")
    make_member(company_name="Brouillon", live=False)
    assert listed_companies(client.get(directory.url).content.decode()) == ["Publié"]


@pytest.mark.django_db
def test_directory__paginates_and_keeps_filters_in_page_links(
    client, directory: MemberIndexPage, make_member: MakeMember
) -> None:
    for _ in range(MEMBERS_PER_PAGE + 3):
        make_member(is_artisan=True)
    make_member(is_artisan=False)

    first = client.get(directory.url, {"artisan": "oui"}).content.decode()
    assert len(listed_companies(first)) == MEMBERS_PER_PAGE
    assert "Page 1 sur 2" in first
    assert 'href="?artisan=oui&amp;page=2"' in first

    second = client.get(directory.url, {"artisan": "oui", "page": "2"}).content.decode()
    assert len(listed_companies(second)) == 3
    assert 'href="?artisan=oui&amp;page=1"' in second


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("99999", 2), ("-3", 2), ("", 1)])
def test_directory__a_bad_page_number_falls_back_to_a_real_page(
    client, directory: MemberIndexPage, make_member: MakeMember, page: str, expected: int
) -> None:
    for _ in range(MEMBERS_PER_PAGE + 1):
        make_member()
    response = client.get(directory.url, {"page": page})
    assert response.status_code == 200
    assert f"Page {expected} sur 2" in response.content.decode()


@pytest.mark.django_db
def test_directory__pagination_links_drop_bad_filter_values(
    client, directory: MemberIndexPage, make_member: MakeMember
) -> None:
    for _ in range(MEMBERS_PER_PAGE + 1):
        make_member()
    html = client.get(directory.url, {"trade": "inconnu"}).content.decode()
    assert 'href="?page=2"' in html


def directory_queries(client, url: str) -> int:
    client.get(url, {"artisan": "oui"})  # warm up: renditions are made once, then reused
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"artisan": "oui"})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache_off")
def test_directory__costs_the_same_queries_for_5_or_200_residents(
    client,
    directory: MemberIndexPage,
    make_member: MakeMember,
    trades: dict[str, Trade],
    django_assert_max_num_queries,
) -> None:
    trade_list = list(trades.values())
    logo = ImageFactory(title="Logo")

    def add_residents(count: int) -> None:
        for index in range(count):
            make_member(
                trade=trade_list[index % len(trade_list)],
                is_artisan=True,
                logo=logo if index % 2 else ImageFactory(title=f"Logo {index}"),
            )

    add_residents(5)
    with_5 = directory_queries(client, directory.url)
    add_residents(195)
    client.get(directory.url, {"artisan": "oui"})
    with django_assert_max_num_queries(DIRECTORY_MAX_QUERIES):
        response = client.get(directory.url, {"artisan": "oui"})
    assert len(listed_companies(response.content.decode())) == MEMBERS_PER_PAGE
    assert directory_queries(client, directory.url) == with_5 <= DIRECTORY_MAX_QUERIES
