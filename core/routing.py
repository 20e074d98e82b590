"""Routing a URL to its page in one query, instead of two for every segment of its path.

Wagtail routes ``/residents/some-company/`` from the site's root page down, one segment at a
time: a query for the child with that slug, then another for its specific type, at every level.
Each process keeps what a path led to: the page as loaded with the related rows its template
shows (``BasePage.serve_select_related``), pickled, and how many segments it took. On the next
request for the path it unpickles that page (a tenth of a millisecond, where a query took one
to twenty on a busy machine) and lets it route the rest of the path (a routable page's own
sub-paths) exactly as Wagtail would. It keeps the sites' root paths too, which Wagtail reads
from the cache on every request that makes a URL.

A kept route is used only while none of the pages met on the way was changed, no page was moved
or renamed (``urls``) and no site changed, by the same freshness rule as the page cache
(``pagecache.tags``): checking it costs one cache round trip, against two queries a segment.
It also remembers whether any page was private when it was built, and is fresh only while no
view restriction changed: the page it leads to then skips that check (two more round trips).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.http import Http404, HttpRequest

from wagtail.models import PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from pagecache import memo, model_tag, record
from pagecache import tags as tagging
from pagecache.release import release
from pagecache.tags import LocalCopies

if TYPE_CHECKING:
    from wagtail.models import Page

Router = Callable[[HttpRequest, Sequence[str]], RouteResult]


@dataclass(frozen=True)
class KeptRoute:
    """Where a path led: the page, the segments it consumed, and what was read on the way."""

    #: The page, pickled as loaded by ``_load``: a fresh instance for every request; None
    #: for a path that led nowhere (a 404, kept until a page or a redirect changes: ``routes``).
    state: bytes | None
    consumed: int
    root_paths: Any
    #: No view restriction existed anywhere when the route was built.
    unrestricted: bool
    started_at: float
    floor: float | None
    tags: frozenset[str]


kept_routes: LocalCopies[KeptRoute] = LocalCopies(size=1024)


def view_restrictions_exist() -> bool:
    """Whether any page of any site is private (kept in the cache until a restriction changes)."""
    return memo(
        "home:view-restrictions-exist",
        [model_tag(PageViewRestriction)],
        PageViewRestriction.objects.exists,
    )


def _load(page: Page) -> Page | None:
    """``page`` as its specific type, with the related rows its template shows. Not its
    renditions: a list prefetched now would miss those made later and cost a query each time;
    Wagtail's own rendition cache answers them in one round trip."""
    model = type(page)
    related = getattr(model, "serve_select_related", ())
    return model.objects.select_related(*related).filter(pk=page.pk).first()


def route(root: Page, request: HttpRequest, components: Sequence[str], router: Router) -> Any:
    """Route ``components`` from the site's ``root`` page; ``router`` is Wagtail's own
    routing, run when this process has no fresh route for the path."""
    key = f"{release()}:{root.pk}:{'/'.join(components)}"
    entry = kept_routes.get(key)
    if entry is not None and tagging.is_fresh(entry.started_at, entry.tags, entry.floor):
        record(*entry.tags)
        if entry.state is None:
            raise Http404
        page = pickle.loads(entry.state)  # noqa: S301 - pickled by this process, below
        page.known_unrestricted = entry.unrestricted
        if not hasattr(request, "_wagtail_cached_site_root_paths"):
            request._wagtail_cached_site_root_paths = entry.root_paths  # type: ignore[attr-defined]
        return page.route(request, list(components[entry.consumed :]))
    token = tagging.start()  # stores the floor first if it is missing
    try:
        floor = cache.get(tagging.FLOOR_KEY)
        tagging.record(model_tag(Site))
        try:
            result = router(request, components)
        except Http404:
            tagging.record("routes")
            _keep(key, None, 0, None, False, floor)
            raise
        unrestricted = not view_restrictions_exist()  # records its tag
        page = result[0]
        loaded = _load(page)  # the related rows' tags are recorded too
        if loaded is not None:  # else deleted meanwhile
            state = pickle.dumps(loaded, pickle.HIGHEST_PROTOCOL)
            consumed = page.depth - root.depth
            _keep(key, state, consumed, Site.get_site_root_paths(), unrestricted, floor)
    finally:
        collector = tagging.current()
        tagging.stop(token)
        if collector is not None:
            record(*collector.tags)
    return result


def _keep(
    key: str, state: bytes | None, consumed: int, root_paths: Any, unrestricted: bool, floor: Any
) -> None:
    """Keep what routing ``key`` led to, with what the current collector recorded so far."""
    collector = tagging.current()
    assert collector is not None  # noqa: S101 - called while routing collects
    kept_routes.put(
        key,
        KeptRoute(
            state=state,
            consumed=consumed,
            root_paths=root_paths,
            unrestricted=unrestricted,
            started_at=collector.started_at,
            floor=floor,
            tags=frozenset(collector.tags),
        ),
    )
