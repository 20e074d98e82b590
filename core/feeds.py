"""The base of the RSS 2.0 feeds that index pages serve (news, newsletter archive)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from wagtail.models import Page

from ops.site_url import absolute_url


class IndexPageFeed(Feed):
    """A feed of an index page's items: absolute links, in French, titled after the section."""

    feed_type = Rss201rev2Feed
    language = "fr"

    def __init__(self, index_page: Page) -> None:
        super().__init__()
        self.index_page = index_page
        self.request: HttpRequest | None = None

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> Any:
        self.request = request
        return self.index_page

    def _absolute_url(self, page: Page) -> str:
        assert self.request is not None  # noqa: S101 - set by get_object before any item
        return absolute_url(page.get_url(self.request) or "")

    def title(self, obj: Page) -> str:
        return _("%(section)s — Le Carburateur") % {"section": obj.title}

    def link(self, obj: Page) -> str:
        return self._absolute_url(obj)

    def feed_url(self, obj: Page) -> str:
        # Django would put the requested host in front of the feed's own path.
        assert self.request is not None  # noqa: S101 - set by get_object
        return absolute_url(self.request.path)

    def item_title(self, item: Page) -> str:
        return item.title

    def item_link(self, item: Page) -> str:
        return self._absolute_url(item)

    def item_guid(self, item: Page) -> str:
        return self._absolute_url(item)
