"""Fixtures for the news section: its index page and an article factory."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from home.models import HomePage
from members.models import MemberIndexPage, MemberPage
from news.models import ArticlePage, NewsIndexPage

MakeArticle = Callable[..., ArticlePage]


@pytest.fixture
def news_index(home_page: HomePage) -> NewsIndexPage:
    page = NewsIndexPage(
        title="Actualités", slug="actualites", introduction="La vie du Carburateur."
    )
    home_page.add_child(instance=page)
    return page


@pytest.fixture
def make_article(news_index: NewsIndexPage) -> MakeArticle:
    """Publishes an article in the news section; ``tags`` is a list of tag names."""
    counter = iter(range(1, 100_000))

    def make(tags: Sequence[str] = (), **fields: Any) -> ArticlePage:
        number = next(counter)
        defaults: dict[str, Any] = {
            "title": f"Article {number:04d}",
            "slug": f"article-{number:04d}",
            "date": datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
            "author": "L'équipe du Carburateur",
            "introduction": f"Chapeau de l'article {number}.",
        }
        article = ArticlePage(**{**defaults, **fields})
        news_index.add_child(instance=article)
        if tags:
            article.tags.add(*tags)
            article.save()
        return article

    return make


@pytest.fixture
def resident(home_page: HomePage) -> MemberPage:
    """A published resident, for articles to link to."""
    directory = MemberIndexPage(title="Résidents", slug="residents")
    home_page.add_child(instance=directory)
    member = MemberPage(title="Medinscop", slug="medinscop", company_name="Medinscop")
    directory.add_child(instance=member)
    return member
