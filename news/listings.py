"""What the news section exposes to other parts of the site (the home page)."""

from __future__ import annotations

from core.models import public
from pagecache import record, type_tag

from .models import ArticlePage, with_card_data


def latest_articles(limit: int = 3) -> list[ArticlePage]:
    """The most recent published articles, newest first, ready for article cards."""
    record(type_tag(ArticlePage))
    queryset = public(ArticlePage.objects.live()).order_by("-date", "-first_published_at", "-pk")
    return list(with_card_data(queryset)[: max(limit, 0)])
