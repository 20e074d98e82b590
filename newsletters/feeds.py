"""The RSS 2.0 feed of the issues that have been sent, served by the archive at ``rss/``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import NewsletterIndexPage, NewsletterPage

FEED_LENGTH = 20
DEFAULT_DESCRIPTION = _(
    "Les lettres d'information du Carburateur, telles qu'elles ont été envoyées."
)


class SentIssuesFeed(Feed):
    """The latest sent issues, with absolute links, in French."""

    feed_type = Rss201rev2Feed
    language = "fr"

    def __init__(self, index_page: NewsletterIndexPage) -> None:
        super().__init__()
        self.index_page = index_page
        self.request: HttpRequest | None = None

    def get_object(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> NewsletterIndexPage:
        self.request = request
        return self.index_page

    def _absolute_url(self, page: NewsletterIndexPage | NewsletterPage) -> str:
        assert self.request is not None  # noqa: S101 - set by get_object before any item
        return self.request.build_absolute_uri(page.get_url(self.request))

    def title(self, obj: NewsletterIndexPage) -> str:
        return _("%(section)s — Le Carburateur") % {"section": obj.title}

    def link(self, obj: NewsletterIndexPage) -> str:
        return self._absolute_url(obj)

    def description(self, obj: NewsletterIndexPage) -> str:
        return obj.introduction or str(DEFAULT_DESCRIPTION)

    def items(self, obj: NewsletterIndexPage) -> list[NewsletterPage]:
        return list(obj.sent_issues().select_related("topic")[:FEED_LENGTH])

    def item_title(self, item: NewsletterPage) -> str:
        return item.title

    def item_description(self, item: NewsletterPage) -> str:
        return item.preheader or item.subject

    def item_link(self, item: NewsletterPage) -> str:
        return self._absolute_url(item)

    def item_guid(self, item: NewsletterPage) -> str:
        return self._absolute_url(item)

    def item_pubdate(self, item: NewsletterPage) -> datetime.datetime:
        return item.sent_on

    def item_categories(self, item: NewsletterPage) -> list[str]:
        return [item.topic.name]
