"""Routing a URL to its page in one query, instead of two for every segment of its path.

Wagtail routes ``/residents/some-company/`` from the site's root page down, one segment at a
time: a query for the child with that slug, then another for its specific type, at every level.
Each process keeps what a path led to (the page, its type, how many segments it took) and, on
the next request for it, loads that page alone, with the related rows its template shows
(``BasePage.serve_select_related``), and lets it route the rest of the path (a routable page's
own sub-paths) exactly as Wagtail would.

A kept route is used only while none of the pages met on the way was changed, no page was moved
or renamed (``urls``) and no site changed, by the same freshness rule as the page cache
(``pagecache.tags``): checking it costs one cache round trip, against two queries a segment.
It also remembers whether any page was private when it was built, and is fresh only while no
view restriction changed: the page it leads to then skips that check (two more round trips).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.cache import cache
from django.http import HttpRequest

from wagtail.models import PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from pagecache import memo, model_tag, record
from pagecache import tags as tagging
from pagecache.release import release

if TYPE_CHECKING:
    from wagtail.models import Page

Router = Callable[[HttpRequest, Sequence[str]], RouteResult]


@dataclass(frozen=True)
class KeptRoute:
    """Where a path led: the page, its type, the segments it consumed, and what was read."""

    page_id: int
    model: str
    consumed: int
    #: No view restriction existed anywhere when the route was built.
    unrestricted: bool
    started_at: float
    floor: float | None
    tags: frozenset[str]


class _KeptRoutes:
    """The routes this process met last, least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, KeptRoute] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> KeptRoute | None:
        with self.lock:
            return self.entries.get(key)

    def put(self, key: str, entry: KeptRoute) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


kept_routes = _KeptRoutes(size=2048)


def view_restrictions_exist() -> bool:
    """Whether any page of any site is private (kept in the cache until a restriction changes)."""
    return memo(
        "home:view-restrictions-exist",
        [model_tag(PageViewRestriction)],
        PageViewRestriction.objects.exists,
    )


def _load(entry: KeptRoute) -> Page | None:
    """The page a kept route leads to, as its specific type, with what its template shows."""
    model = apps.get_model(entry.model)
    related = getattr(model, "serve_select_related", ())
    return model.objects.select_related(*related).filter(pk=entry.page_id).first()


def route(root: Page, request: HttpRequest, components: Sequence[str], router: Router) -> Any:
    """Route ``components`` from the site's ``root`` page; ``router`` is Wagtail's own
    routing, run when this process has no fresh route for the path."""
    key = f"{release()}:{root.pk}:{'/'.join(components)}"
    entry = kept_routes.get(key)
    if entry is not None and tagging.is_fresh(entry.started_at, entry.tags, entry.floor):
        page = _load(entry)
        if page is not None:
            record(*entry.tags)
            page.known_unrestricted = entry.unrestricted
            return page.route(request, list(components[entry.consumed :]))
    tagging.ensure_floor()
    floor = cache.get(tagging.FLOOR_KEY)
    token = tagging.start()
    try:
        tagging.record(model_tag(Site))
        result = router(request, components)  # Http404 goes up: only routes found are kept
        unrestricted = not view_restrictions_exist()  # records its tag
        collector = tagging.current()
    finally:
        tagging.stop(token)
    assert collector is not None  # noqa: S101 - started just above
    record(*collector.tags)
    page = result[0]
    kept_routes.put(
        key,
        KeptRoute(
            page_id=page.pk,
            model=page._meta.label,
            consumed=page.depth - root.depth,
            unrestricted=unrestricted,
            started_at=collector.started_at,
            floor=floor,
            tags=frozenset(collector.tags),
        ),
    )
    return result
