"""The RSS 2.0 feed of the issues that have been sent, served by the archive at ``rss/``."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from core.feeds import IndexPageFeed

if TYPE_CHECKING:
    from .models import NewsletterIndexPage, NewsletterPage

FEED_LENGTH = 20
DEFAULT_DESCRIPTION = _(
    "Les lettres d'information du Carburateur, telles qu'elles ont été envoyées."
)


class SentIssuesFeed(IndexPageFeed):
    """The latest sent issues, newest first."""

    def description(self, obj: NewsletterIndexPage) -> str:
        return obj.introduction or str(DEFAULT_DESCRIPTION)

    def items(self, obj: NewsletterIndexPage) -> list[NewsletterPage]:
        return list(obj.sent_issues().select_related("topic")[:FEED_LENGTH])

    def item_description(self, item: NewsletterPage) -> str:
        return item.preheader or item.subject

    def item_pubdate(self, item: NewsletterPage) -> datetime.datetime:
        return item.sent_on

    def item_categories(self, item: NewsletterPage) -> list[str]:
        return [item.topic.name]
