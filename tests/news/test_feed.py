"""The RSS 2.0 feed of the latest articles."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest

from news.feeds import FEED_LENGTH
from news.models import NewsIndexPage

from .conftest import MakeArticle


def get_channel(client, news_index: NewsIndexPage) -> ET.Element:
    response = client.get(f"{news_index.url}rss/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, not untrusted input
    assert root.tag == "rss"
    assert root.attrib["version"] == "2.0"
    channel = root.find("channel")
    assert channel is not None
    return channel


@pytest.mark.django_db
def test_feed__is_rss_2_in_french_with_absolute_links(
    client, news_index: NewsIndexPage, make_article: MakeArticle
) -> None:
    article = make_article(
        title="Visite de la CMA",
        date=datetime.date(2025, 7, 3),
        author="Camille Durand",
        introduction="La présidente a rencontré les artisans.",
        tags=["CMA"],
    )
    channel = get_channel(client, news_index)
    assert channel.findtext("title") == "Actualités — Le Carburateur"
    assert channel.findtext("link") == "http://testserver/actualites/"
    assert channel.findtext("language") == "fr"
    assert channel.findtext("description") == "La vie du Carburateur."

    (item,) = channel.findall("item")
    assert item.findtext("title") == "Visite de la CMA"
    assert item.findtext("link") == f"http://testserver{article.url}"
    assert item.findtext("guid") == f"http://testserver{article.url}"
    assert item.findtext("description") == "La présidente a rencontré les artisans."
    assert item.findtext("category") == "CMA"
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Camille Durand"
    # RFC 822 as RSS 2.0 requires, at midnight in Paris (summer time: +0200).
    assert item.findtext("pubDate") == "Thu, 03 Jul 2025 00:00:00 +0200"
    published = parsedate_to_datetime(item.findtext("pubDate") or "")
    assert published.utcoffset() == datetime.timedelta(hours=2)


@pytest.mark.django_db
def test_feed__dates_winter_articles_in_paris_winter_time(
    client, news_index: NewsIndexPage, make_article: MakeArticle
) -> None:
    make_article(date=datetime.date(2025, 1, 15))
    (item,) = get_channel(client, news_index).findall("item")
    assert item.findtext("pubDate") == "Wed, 15 Jan 2025 00:00:00 +0100"


@pytest.mark.django_db
def test_feed__has_the_latest_published_articles_newest_first(
    client, news_index: NewsIndexPage, make_article: MakeArticle
) -> None:
    for _ in range(FEED_LENGTH + 3):
        make_article()
    make_article(title="Brouillon", date=datetime.date(2030, 1, 1), live=False)
    items = get_channel(client, news_index).findall("item")
    titles = [item.findtext("title") for item in items]
    assert len(titles) == FEED_LENGTH
    assert "Brouillon" not in titles
    assert titles[0] == f"Article {FEED_LENGTH + 3:04d}"
    assert titles == sorted(titles, reverse=True)


@pytest.mark.django_db
def test_feed__of_an_empty_section_is_still_valid(client, news_index: NewsIndexPage) -> None:
    assert get_channel(client, news_index).findall("item") == []
