"""The directory's cards, each kept as a fragment (page cache off, fragments on): a change to
a resident, its logo or its trade shows at once; a stored card is exactly the rendered one; a
page of cards costs the same queries for N residents as for 3N, stored or not."""

from __future__ import annotations

import pytest

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from members.models import MEMBERS_PER_PAGE, MemberIndexPage, MemberPage, Trade
from pagecache import bump, page_tags
from tests.factories.pages import ImageFactory

from .conftest import MakeMember
from .test_directory import DIRECTORY_MAX_QUERIES, listed_companies

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fragments_only(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PAGECACHE_ENABLED = False
    settings.PAGECACHE_FRAGMENTS = True


def html_of(client: Client, url: str, **query: str) -> str:
    response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode()


def queries_of(client: Client, url: str, **query: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        html_of(client, url, **query)
    return len(queries)


def publish_change(page: MemberPage, **fields: object) -> None:
    """What an editor does: change fields of the draft, then publish it."""
    page = MemberPage.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_directory_card__shows_a_published_edit_at_once(
    client, directory: MemberIndexPage, make_member: MakeMember
) -> None:
    bocaux = make_member(company_name="Bocaux", summary="Conserves du quartier.")
    make_member(company_name="Medinscop")
    html_of(client, directory.url)
    assert "Conserves du quartier." in html_of(client, directory.url)  # from the stored card

    publish_change(bocaux, company_name="Bocaux & Cie", summary="Conserves et confitures.")
    html = html_of(client, directory.url)
    assert sorted(listed_companies(html)) == ["Bocaux &amp; Cie", "Medinscop"]
    assert "Conserves et confitures." in html
    assert "Conserves du quartier." not in html


def test_directory_card__shows_a_new_logo_text_and_a_renamed_trade(
    client, directory: MemberIndexPage, make_member: MakeMember, trades: dict[str, Trade]
) -> None:
    """The logo and the trade are loaded with the page, not by the card: the card still
    depends on them."""
    logo = ImageFactory(title="Logo des Bocaux")
    make_member(company_name="Bocaux", logo=logo, trade=trades["conserverie"])
    html_of(client, directory.url)
    html = html_of(client, directory.url)
    assert 'alt="Logo des Bocaux"' in html
    assert "<span>Conserverie</span>" in html

    logo.title = "Bocaux, le logo"
    logo.save()
    trade = trades["conserverie"]
    trade.name = "Conserverie artisanale"
    trade.save()
    html = html_of(client, directory.url)
    assert 'alt="Bocaux, le logo"' in html
    assert "<span>Conserverie artisanale</span>" in html


def test_directory__drops_an_unpublished_resident_s_card(
    client, directory: MemberIndexPage, make_member: MakeMember
) -> None:
    bocaux = make_member(company_name="Bocaux")
    make_member(company_name="Medinscop")
    assert sorted(listed_companies(html_of(client, directory.url))) == ["Bocaux", "Medinscop"]
    MemberPage.objects.get(pk=bocaux.pk).unpublish()
    assert listed_companies(html_of(client, directory.url)) == ["Medinscop"]


def test_filtered_directory__shows_the_cards_of_its_residents_only(
    client, directory: MemberIndexPage, make_member: MakeMember, trades: dict[str, Trade]
) -> None:
    make_member(company_name="Bocaux", trade=trades["conserverie"], is_artisan=True)
    make_member(company_name="Medinscop", trade=trades["batiment"], is_artisan=False)
    make_member(company_name="Maçonnerie du Nord", trade=trades["batiment"], is_artisan=True)
    html_of(client, directory.url)  # every card stored
    html = html_of(client, directory.url, trade="batiment", artisan="oui")
    assert listed_companies(html) == ["Maçonnerie du Nord"]
    assert '<option value="batiment" selected>Bâtiment</option>' in html
    html = html_of(client, directory.url, trade="batiment")
    assert sorted(listed_companies(html)) == ["Maçonnerie du Nord", "Medinscop"]


def test_directory_filters__offer_a_trade_once_a_resident_practises_it(
    client, directory: MemberIndexPage, make_member: MakeMember, trades: dict[str, Trade]
) -> None:
    make_member(company_name="Bocaux", trade=trades["conserverie"])
    assert 'value="numerique"' not in html_of(client, directory.url)
    make_member(company_name="Appli Quartier", trade=trades["numerique"])
    assert '<option value="numerique">Numérique</option>' in html_of(client, directory.url)


def test_directory__is_the_same_from_stored_cards_as_rendered(
    client, settings, directory: MemberIndexPage, make_member: MakeMember, trades: dict[str, Trade]
) -> None:
    for index in range(MEMBERS_PER_PAGE + 2):
        make_member(
            trade=list(trades.values())[index % 3],
            logo=ImageFactory(title=f"Logo {index}") if index % 2 else None,
        )
    cache.clear()
    rendered = html_of(client, directory.url)
    stored = html_of(client, directory.url)
    settings.PAGECACHE_FRAGMENTS = False
    assert rendered == stored == html_of(client, directory.url)


def test_directory__costs_the_same_queries_for_n_or_3n_residents_stored_or_not(
    client, directory: MemberIndexPage, make_member: MakeMember, trades: dict[str, Trade]
) -> None:
    trade_list = list(trades.values())

    def add_residents(count: int) -> None:
        for index in range(count):
            make_member(
                trade=trade_list[index % len(trade_list)], logo=ImageFactory(title=f"L{index}")
            )

    def counts() -> tuple[int, int]:
        html_of(client, directory.url)  # renditions made once, as on a live site
        # Every resident changed: no card or filter stored is fresh, the site-wide caches are.
        bump(
            *page_tags(MemberPage.objects.values_list("pk", flat=True)),
            f"children:{directory.path}",
        )
        missed = queries_of(client, directory.url)
        return missed, queries_of(client, directory.url)

    add_residents(MEMBERS_PER_PAGE)
    with_n = counts()
    add_residents(2 * MEMBERS_PER_PAGE)
    with_3n = counts()
    assert with_3n == with_n
    missed, stored = with_n
    assert missed <= DIRECTORY_MAX_QUERIES
    # Stored cards and filters spare the renditions' and the trades' queries.
    assert stored <= missed - 2
