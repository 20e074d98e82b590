"""A resident's page shows its contests, its news and how to reach it, dated the French way."""

from __future__ import annotations

import datetime
from datetime import timedelta

import pytest

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from home.models import SiteSettings
from members.models import MemberPage
from news.models import ArticleRelatedPage
from tests.factories.news import ArticlePageFactory, NewsIndexPageFactory
from tests.factories.programs import ContestIndexPageFactory, ContestPageFactory

from .conftest import MakeMember

pytestmark = pytest.mark.django_db

# Measured warm with the page cache off; the same for 3 or 30 articles and contests.
RESIDENT_PAGE_MAX_QUERIES = 5


@pytest.fixture
def news_index(home_page):  # type: ignore[no-untyped-def]
    return NewsIndexPageFactory(parent=home_page)


@pytest.fixture
def contest_index(home_page):  # type: ignore[no-untyped-def]
    return ContestIndexPageFactory(parent=home_page)


def link_article(news_index, member: MemberPage, title: str, day: datetime.date, **fields):  # type: ignore[no-untyped-def]
    article = ArticlePageFactory(parent=news_index, title=title, date=day, **fields)
    article.related_pages.add(ArticleRelatedPage(page=member))
    article.save()  # the link is stored; a draft stays a draft
    return article


def test_resident_page__shows_its_contests_news_and_contact(
    client: Client, make_member: MakeMember, news_index, contest_index
) -> None:
    member = make_member(
        company_name="La Compagnie des Bocaux",
        resident_since=datetime.date(2017, 9, 1),
        website="https://bocaux.example",
        contact_email="bonjour@bocaux.example",
        contact_phone="04 91 22 33 44",
    )
    other = make_member(company_name="Medinscop")
    now = timezone.now()
    ContestPageFactory(
        parent=contest_index,
        title="La Fabrique Aviva",
        vote_opens_at=now - timedelta(days=3),
        vote_closes_at=now + timedelta(days=30),
        residents=[member],
        residents__project="Des bocaux bio",
    )
    ContestPageFactory(parent=contest_index, title="Concours sans lui", residents=[other])
    link_article(news_index, member, "Une levée de fonds", datetime.date(2026, 9, 1))
    link_article(news_index, member, "Votez pour eux", datetime.date(2026, 10, 2))
    link_article(news_index, other, "Medinscop recrute", datetime.date(2026, 10, 3))
    link_article(news_index, member, "Brouillon", datetime.date(2026, 10, 4), live=False)

    html = client.get(member.url).content.decode()

    assert "1er septembre 2017" in html  # resident since
    assert "La Fabrique Aviva" in html and "Des bocaux bio" in html
    assert "Votes ouverts jusqu&#x27;au" in html or "Votes ouverts jusqu'au" in html
    assert "Concours sans lui" not in html
    assert html.index("Votez pour eux") < html.index("Une levée de fonds")
    assert "1er septembre 2026" in html
    assert "Medinscop recrute" not in html and "Brouillon" not in html
    assert "Contacter La Compagnie des Bocaux" in html
    assert 'href="https://bocaux.example"' in html
    assert "mailto:bonjour@bocaux.example" in html and 'href="tel:0491223344"' in html


def test_resident_page__without_contests_news_or_contact__has_no_empty_sections(
    client: Client, make_member: MakeMember
) -> None:
    html = client.get(make_member().url).content.decode()
    for heading in ("Ses concours", "Ses actualités", "Contacter"):
        assert heading not in html


@pytest.mark.usefixtures("page_cache_off")
def test_resident_page__same_queries_for_3_and_30_articles_and_contests(
    client: Client,
    django_assert_max_num_queries,
    make_member: MakeMember,
    news_index,
    contest_index,
) -> None:
    member = make_member()

    def add(first: int, last: int) -> None:
        for n in range(first, last):
            link_article(
                news_index, member, f"Article {n}", datetime.date(2026, 1, 1) + timedelta(n)
            )
            ContestPageFactory(parent=contest_index, title=f"Concours {n}", residents=[member])

    def warm_count() -> int:
        assert client.get(member.url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(member.url).status_code == 200
        return len(queries)

    add(0, 3)
    with_3 = warm_count()
    add(3, 30)
    client.get(member.url)
    with django_assert_max_num_queries(RESIDENT_PAGE_MAX_QUERIES) as with_30:
        html = client.get(member.url).content.decode()
    assert "Article 29" in html and "Concours 29" in html
    assert len(with_30) == with_3, (len(with_30), with_3)


def test_resident_page__without_its_own_contact__offers_the_hubs(
    client: Client, make_member: MakeMember, home_page
) -> None:
    hub = SiteSettings.for_site(home_page.get_site())
    hub.contact_email = "bonjour@carburateur.example"
    hub.save()
    html = client.get(make_member(company_name="Atelier Fil Rouge").url).content.decode()
    assert "Contacter Atelier Fil Rouge" in html
    assert "L'accueil du Carburateur vous met en relation" in html
