"""The RSS 2.0 feed of the latest articles, served by the news index at ``rss/``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.feeds import IndexPageFeed

if TYPE_CHECKING:
    from .models import ArticlePage, NewsIndexPage

FEED_LENGTH = 20
DEFAULT_DESCRIPTION = _("Les actualités du Carburateur, pôle entrepreneurial des quartiers Nord.")


class LatestArticlesFeed(IndexPageFeed):
    """The section's latest articles, dated in Paris time."""

    def description(self, obj: NewsIndexPage) -> str:
        return obj.introduction or str(DEFAULT_DESCRIPTION)

    def items(self, obj: NewsIndexPage) -> list[ArticlePage]:
        return list(obj.articles().prefetch_related("tags")[:FEED_LENGTH])

    def item_description(self, item: ArticlePage) -> str:
        return item.introduction or item.search_description

    def item_pubdate(self, item: ArticlePage) -> datetime.datetime:
        # The article's day, at midnight in Paris: RFC 822 then carries the +01:00/+02:00 offset.
        return datetime.datetime.combine(
            item.date, datetime.time.min, tzinfo=timezone.get_default_timezone()
        )

    def item_author_name(self, item: ArticlePage) -> str:
        return item.author

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [tag.name for tag in item.tags.all()]
