"""Article cards show responsive pictures whose renditions come in one query for the listing."""

from __future__ import annotations

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from news.models import NewsIndexPage
from tests.factories.pages import ImageFactory
from tests.home.test_responsive_images import img_attrs, pictures, srcset_of

from .conftest import MakeArticle


def add_articles_with_photos(make_article: MakeArticle, numbers: range) -> None:
    """One article per number, each with its own photo, large enough for every card width."""
    for number in numbers:
        photo = ImageFactory(title=f"Photo {number}", file__width=1000, file__height=600)
        make_article(listing_image=photo)


def rendition_queries(client, url: str) -> tuple[int, str]:
    """How many queries a warm render of ``url`` spends on renditions, and its HTML."""
    client.get(url)  # the first visit makes the renditions
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return sum("wagtailimages_rendition" in query["sql"] for query in queries), html


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache_off")
def test_news_cards__fetch_every_rendition_in_one_query_whatever_the_number_of_images(
    client, news_index: NewsIndexPage, make_article: MakeArticle
) -> None:
    add_articles_with_photos(make_article, range(3))
    with_3, html_3 = rendition_queries(client, news_index.url)
    add_articles_with_photos(make_article, range(3, 8))
    with_8, html_8 = rendition_queries(client, news_index.url)
    assert len(pictures(html_3)) == 3
    assert len(pictures(html_8)) == 8
    assert with_3 == with_8 == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache_off")
def test_news_cards__are_pictures_with_the_first_one_eager_and_the_others_lazy(
    client, news_index: NewsIndexPage, make_article: MakeArticle
) -> None:
    add_articles_with_photos(make_article, range(3))
    first, *others = pictures(client.get(news_index.url).content.decode())
    for picture in (first, *others):
        assert [width for _url, width in srcset_of(picture, "image/avif")] == [480, 320, 960]
        assert len(srcset_of(picture, "image/webp")) == 3
        img = img_attrs(picture)
        assert (img["width"], img["height"]) == ("480", "270")
        assert img["class"] == "card__image"
    assert "loading" not in img_attrs(first)
    assert all(img_attrs(picture)["loading"] == "lazy" for picture in others)
    assert all(img_attrs(picture)["decoding"] == "async" for picture in others)
