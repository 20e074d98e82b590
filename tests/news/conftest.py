"""Fixtures for the news section: its index page and an article factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from home.models import HomePage
from members.models import MemberPage
from news.models import ArticlePage, NewsIndexPage
from tests.factories.members import MemberPageFactory
from tests.factories.news import ArticlePageFactory, NewsIndexPageFactory

MakeArticle = Callable[..., ArticlePage]


@pytest.fixture
def news_index(home_page: HomePage) -> NewsIndexPage:
    return NewsIndexPageFactory(parent=home_page)


@pytest.fixture
def make_article(news_index: NewsIndexPage) -> MakeArticle:
    """Publishes an article in the news section; ``tags`` is a list of tag names."""

    def make(**fields: Any) -> ArticlePage:
        return ArticlePageFactory(parent=news_index, **fields)

    return make


@pytest.fixture
def resident(home_page: HomePage) -> MemberPage:
    """A published resident, for articles to link to."""
    return MemberPageFactory(title="Medinscop", slug="medinscop", company_name="Medinscop")
