"""The RSS 2.0 feed of the latest articles, served by the news index at ``rss/``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import ArticlePage, NewsIndexPage

FEED_LENGTH = 20
DEFAULT_DESCRIPTION = _("Les actualités du Carburateur, pôle entrepreneurial des quartiers Nord.")


class LatestArticlesFeed(Feed):
    """The section's latest articles, with absolute links, in French, dated in Paris time."""

    feed_type = Rss201rev2Feed
    language = "fr"

    def __init__(self, index_page: NewsIndexPage) -> None:
        super().__init__()
        self.index_page = index_page
        self.request: HttpRequest | None = None

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> NewsIndexPage:
        self.request = request
        return self.index_page

    def _absolute_url(self, page: NewsIndexPage | ArticlePage) -> str:
        assert self.request is not None  # noqa: S101 - set by get_object before any item
        return self.request.build_absolute_uri(page.get_url(self.request))

    def title(self, obj: NewsIndexPage) -> str:
        return _("%(section)s — Le Carburateur") % {"section": obj.title}

    def link(self, obj: NewsIndexPage) -> str:
        return self._absolute_url(obj)

    def description(self, obj: NewsIndexPage) -> str:
        return obj.introduction or str(DEFAULT_DESCRIPTION)

    def items(self, obj: NewsIndexPage) -> list[ArticlePage]:
        return list(obj.articles().prefetch_related("tags")[:FEED_LENGTH])

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.introduction or item.search_description

    def item_link(self, item: ArticlePage) -> str:
        return self._absolute_url(item)

    def item_guid(self, item: ArticlePage) -> str:
        return self._absolute_url(item)

    def item_pubdate(self, item: ArticlePage) -> datetime.datetime:
        # The article's day, at midnight in Paris: RFC 822 then carries the +01:00/+02:00 offset.
        return datetime.datetime.combine(
            item.date, datetime.time.min, tzinfo=timezone.get_default_timezone()
        )

    def item_author_name(self, item: ArticlePage) -> str:
        return item.author

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [tag.name for tag in item.tags.all()]
