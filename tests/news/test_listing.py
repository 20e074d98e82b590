"""The news listing: tag filter (with bad values), pagination, SQL cost; latest_articles()."""

from __future__ import annotations

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.listings import latest_articles
from news.models import ARTICLES_PER_PAGE, NewsIndexPage
from tests.factories.pages import ImageFactory

from .conftest import MakeArticle

# The listing's first page costs this many queries at most, with 5 articles or 200
# (12 today; the margin is for the constant cost of site-wide navigation and settings).
NEWS_MAX_QUERIES = 16


def listed_titles(html: str) -> list[str]:
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.django_db
def test_news_index__filters_by_tag(
    client, news_index: NewsIndexPage, make_article: MakeArticle
) -> None:
    make_article(title="Visite CMA", tags=["CMA"])
    make_article(title="Formation gratuite", tags=["CMA", "Formation"])
    make_article(title="Concours", tags=["Concours"])
    response = client.get(news_index.url, {"tag": "cma"})
    html = response.content.decode()
    assert response.status_code == 200
    assert sorted(listed_titles(html)) == ["Formation gratuite", "Visite CMA"]
    assert "<h1>Actualités : CMA</h1>" in html


@pytest.mark.django_db
def test_news_index__offers_only_tags_of_published_articles(
    client, news_index: NewsIndexPage, make_article: MakeArticle
) -> None:
    make_article(tags=["CMA"])
    make_article(tags=["Secret"], live=False)
    html = client.get(news_index.url).content.decode()
    assert '<option value="cma">CMA</option>' in html
    assert "Secret" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("tag", ["inconnu", "secret", "<script>"])
def test_news_index__an_unknown_tag_is_ignored_with_a_french_message(
    client, news_index: NewsIndexPage, make_article: MakeArticle, tag: str
) -> None:
    make_article(title="Visible", tags=["CMA"])
    make_article(title="Caché", tags=["Secret"], live=False)
    response = client.get(news_index.url, {"tag": tag})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce mot-clé est inconnu : toutes les actualités sont affichées." in html
    assert listed_titles(html) == ["Visible"]
    assert "<script>" not in html.split("<main", 1)[1]


@pytest.mark.django_db
def test_news_index__paginates_and_keeps_the_tag_in_page_links(
    client, news_index: NewsIndexPage, make_article: MakeArticle
) -> None:
    for _ in range(ARTICLES_PER_PAGE + 2):
        make_article(tags=["CMA"])
    make_article(tags=["Autre"])
    first = client.get(news_index.url, {"tag": "cma"}).content.decode()
    assert len(listed_titles(first)) == ARTICLES_PER_PAGE
    assert 'href="?tag=cma&amp;page=2"' in first
    second = client.get(news_index.url, {"tag": "cma", "page": "2"}).content.decode()
    assert len(listed_titles(second)) == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("99999", 2), ("0", 2)])
def test_news_index__a_bad_page_number_falls_back_to_a_real_page(
    client, news_index: NewsIndexPage, make_article: MakeArticle, page: str, expected: int
) -> None:
    for _ in range(ARTICLES_PER_PAGE + 1):
        make_article()
    response = client.get(news_index.url, {"page": page})
    assert response.status_code == 200
    assert f"Page {expected} sur 2" in response.content.decode()


def listing_queries(client, url: str) -> int:
    client.get(url)  # warm up: renditions are made once, then reused
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache_off")
def test_news_index__costs_the_same_queries_for_5_or_200_articles(
    client, news_index: NewsIndexPage, make_article: MakeArticle, django_assert_max_num_queries
) -> None:
    shared_image = ImageFactory(title="Image")

    def add_articles(count: int) -> None:
        for index in range(count):
            image = shared_image if index % 2 else ImageFactory(title=f"Image {index}")
            make_article(listing_image=image, tags=[f"Sujet {index % 7}", "Carburateur"])

    add_articles(5)
    with_5 = listing_queries(client, news_index.url)
    add_articles(195)
    client.get(news_index.url)
    with django_assert_max_num_queries(NEWS_MAX_QUERIES):
        response = client.get(news_index.url)
    assert len(listed_titles(response.content.decode())) == ARTICLES_PER_PAGE
    assert listing_queries(client, news_index.url) == with_5 <= NEWS_MAX_QUERIES


@pytest.mark.django_db
def test_latest_articles__newest_published_first_up_to_the_limit(
    make_article: MakeArticle, django_assert_max_num_queries
) -> None:
    import datetime

    for day in (3, 1, 4, 2):
        make_article(title=f"Jour {day}", date=datetime.date(2025, 2, day), tags=["CMA"])
    make_article(title="Brouillon", date=datetime.date(2025, 2, 9), live=False)
    articles = latest_articles(3)
    assert [a.title for a in articles] == ["Jour 4", "Jour 3", "Jour 2"]
    with django_assert_max_num_queries(0):
        assert [t.name for t in articles[0].tags.all()] == ["CMA"]
    assert latest_articles(0) == []
