"""Routing a URL to its page in one query, instead of two for every segment of its path.

Wagtail routes ``/residents/some-company/`` from the site's root page down, one segment at a
time: a query for the child with that slug, then another for its specific type, at every level.
A path this process has not routed yet is looked up by ``url_path`` instead: every page whose
``url_path`` is one of the path's prefixes, in one query (``_walk``), then the deepest of them
that Wagtail's walk would reach, with its specific type and related rows (one more query); that
page routes the rest of the path itself, so sub-paths of routable pages, unpublished pages,
aliases and other sites behave exactly as with Wagtail's walk, which still runs wherever the
tree and the ``url_path`` column disagree.

Each process then keeps what a path led to: the page as loaded with the related rows its template
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
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpRequest

from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

from pagecache import memo, model_tag, page_tags, record
from pagecache import tags as tagging
from pagecache.release import release
from pagecache.tags import LocalCopies

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


def _load(model: type[Page], pk: int) -> Page | None:
    """Page ``pk`` as its specific type ``model``, with the related rows its template shows.
    Not its renditions: a list prefetched now would miss those made later and cost a query
    each time; Wagtail's own rendition cache answers them in one round trip."""
    related = getattr(model, "serve_select_related", ())
    return model.objects.select_related(*related).filter(pk=pk).first()


def _routing(model: type[Page]) -> str:
    """How ``model``'s pages route a path below a site's root: ``"page"`` as Wagtail's
    ``Page.route`` does (the child its first segment names; ``BasePage.route`` does so below
    the root), ``"routable"`` as ``RoutablePageMixin.route`` then that, ``"own"`` otherwise."""
    from .models import BasePage  # the models import this module

    defined = [vars(klass)["route"] for klass in model.__mro__ if "route" in vars(klass)]
    kind = "page"
    if defined and defined[0] is RoutablePageMixin.route:
        defined.pop(0)
        kind = "routable"
    return kind if all(route in (BasePage.route, Page.route) for route in defined) else "own"


def _walk(root: Page, components: Sequence[str]) -> tuple[type[Page], int, int] | None:
    """The page Wagtail's walk from ``root`` down ``components`` would hand the rest of the
    path to, as ``(specific model, pk, segments consumed)``, found in one query on
    ``url_path``; None where only Wagtail's walk can tell (the tree and ``url_path`` disagree,
    two siblings share a slug, a page type is gone); Http404 when no page has the first
    segment.

    The walk stops at the deepest page found, or before it at a page that routes a path
    otherwise: a routable page (``RoutablePageMixin``) whose own sub-paths include the rest,
    if it is live, or any page type with a ``route`` of its own. The pages passed on the way
    are recorded (``page:<id>``), as Wagtail's walk records the ones it loads."""
    prefixes = []
    url_path = root.url_path
    for component in components:
        url_path += f"{component}/"
        prefixes.append(url_path)
    rows = list(
        Page.objects.filter(url_path__in=prefixes, path__startswith=root.path, depth__gt=root.depth)
        .order_by("depth")
        .values_list("pk", "path", "depth", "slug", "url_path", "content_type_id", "live")
    )
    if not rows:
        # No child of the root has the first segment's url_path, so none has its slug: Wagtail's
        # walk (``Page.route``, the root's below its own sub-paths) would answer the same.
        raise Http404
    if len({row[2] for row in rows}) != len(rows):
        return None  # two pages for one segment: Wagtail's walk fails on them as it does
    found: tuple[type[Page], int, int] | None = None
    parent_path = root.path
    for steps, row in enumerate(rows, start=1):
        pk, path, depth, slug, row_url_path, content_type_id, live = row
        if depth != root.depth + steps:
            break  # a gap: the pages below are not the ones this path names
        if (
            slug != components[steps - 1]
            or row_url_path != prefixes[steps - 1]
            or path[: -Page.steplen] != parent_path
        ):
            return None
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not issubclass(model, Page):
            return None
        parent_path = path
        found = (model, pk, steps)
        record(*page_tags([pk]))
        if steps == len(components) or not _passes_on(model, live, components[steps:]):
            break
    return found


def _passes_on(model: type[Page], live: bool, rest: Sequence[str]) -> bool:
    """Whether a page of ``model`` hands ``rest`` on to its child, as ``route`` would."""
    routing = _routing(model)
    if routing != "routable":
        return routing == "page"  # else a route of its own: it decides, from its instance
    if not live:
        return True  # RoutablePageMixin.route serves its sub-paths only when the page is live
    try:
        model.get_resolver().resolve("/" + "/".join(rest) + "/")
    except Http404:  # what RoutablePageMixin.route catches (Resolver404 is one)
        return True
    return False


def _route_by_url_path(
    root: Page, request: HttpRequest, components: Sequence[str]
) -> tuple[RouteResult, Page] | None:
    """Route ``components`` from ``root`` as Wagtail would, in two queries and the routing of
    the page reached; returns the result and that page as loaded, or None where Wagtail's
    walk must do it (see ``_walk``)."""
    walked = _walk(root, components)
    if walked is None:
        return None
    model, pk, consumed = walked
    page = _load(model, pk)
    if page is None:  # deleted meanwhile
        return None
    return page.route(request, list(components[consumed:])), page


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
        floor = tagging.current_floor()
        tagging.record(model_tag(Site))
        try:
            routed = _route_by_url_path(root, request, components)
            if routed is None:
                result, reached = router(request, components), None
            else:
                result, reached = routed
        except Http404:
            tagging.record("routes")
            _keep(key, None, 0, None, False, floor)
            raise
        unrestricted = not view_restrictions_exist()  # records its tag
        page = result[0]
        # The page as loaded for the route, or else loaded now: the related rows' tags are
        # recorded too.
        loaded = reached if page is reached else _load(type(page), page.pk)
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
