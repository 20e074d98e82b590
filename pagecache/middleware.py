"""Serve and store whole responses for anonymous visitors.

Only GET/HEAD 200s (and 404s) that set no cookie, for visitors without a session, under a key
of host, path, the query parameters pages read and the code release. docs/page-cache.md says
exactly what is stored and why.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.functional import SimpleLazyObject

from wagtail.models import Site

from . import tags as tagging
from .release import release

ENTRY_PREFIX = "pagecache:entry:"
VARIANTS_PREFIX = "pagecache:variants:"
MAX_QUERY_LENGTH = 512
MAX_VALUE_LENGTH = 64
DEFAULT_QUERY_PARAMETERS = ("page",)
DEFAULT_IGNORED_PARAMETERS = ("utm_*", "fbclid", "gclid")
STORED_STATUSES = {200, 404}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache")


class _ExpectedTags:
    """The tags each recent address read, to read them all at once on its next request; for
    an address not seen yet (a page's first visit), those the last address read: most are
    what every page reads (sites, settings, the menus' pages), which would otherwise cost a
    round trip each as its memos and menus come; the few others cost nothing more."""

    def __init__(self, size: int, max_tags: int) -> None:
        self.size = size
        self.max_tags = max_tags
        self.entries: OrderedDict[str, frozenset[str]] = OrderedDict()
        self.shared: frozenset[str] = frozenset()
        self.lock = threading.Lock()

    def get(self, key: str) -> Iterable[str]:
        with self.lock:
            return self.entries.get(key, self.shared)

    def put(self, key: str, tags: frozenset[str]) -> None:
        if len(tags) > self.max_tags:
            return
        with self.lock:
            self.entries[key] = tags
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
            self.shared = tags


MAX_HINT_KEY = 600
_expected_tags = _ExpectedTags(size=512, max_tags=2000)


def enabled() -> bool:
    return bool(getattr(settings, "PAGECACHE_ENABLED", True))


def _bypass_cookies() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, "messages")


logger = logging.getLogger(__name__)

# Probes of the ops app (health of the process and of its services).
UNCACHED_PATHS = frozenset({"/healthz", "/readyz"})


def entry_key(request: HttpRequest) -> str | None:
    """The cache key for this request, or None if it must not be cached."""
    if request.method not in ("GET", "HEAD"):
        return None
    if any(name in request.COOKIES for name in _bypass_cookies()):
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    pairs = query_variant(request)
    if pairs is None:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    # The site's address is in every page (canonical, feeds, sitemap): a new one, a new entry.
    site_url = getattr(settings, "SITE_URL", "")
    raw = f"{site_url} {request.scheme}://{host}{request.path}?{urlencode(pairs)}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:40]
    return f"{ENTRY_PREFIX}{release()}:{digest}"


def _ignored(name: str) -> bool:
    patterns = getattr(settings, "PAGECACHE_IGNORED_PARAMETERS", DEFAULT_IGNORED_PARAMETERS)
    return any(
        name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern
        for pattern in patterns
    )


def query_variant(request: HttpRequest) -> list[tuple[str, str]] | None:
    """The query parameters that make this request a variant of its page, sorted; None when
    the cache must stay out of the way (a parameter no page reads, a repeated or long one)."""
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return None
    known = set(getattr(settings, "PAGECACHE_QUERY_PARAMETERS", DEFAULT_QUERY_PARAMETERS))
    pairs = []
    for name, values in request.GET.lists():
        if _ignored(name):
            continue
        if name not in known or len(values) != 1 or len(values[0]) > MAX_VALUE_LENGTH:
            return None
        if values[0]:  # ``?tag=`` shows what no query shows: one entry for both
            pairs.append((name, values[0]))
    return sorted(pairs)


def _variant_allowed(request: HttpRequest, timeout: int, *, known: bool) -> bool:
    """Whether this query variant of its page may be stored: the page itself and a variant
    stored before (being rendered again after a change) always, a new one up to the limit."""
    if known or not query_variant(request):
        return True
    limit = int(getattr(settings, "PAGECACHE_MAX_VARIANTS", 50))
    path = hashlib.sha256(f"{request.get_host()}{request.path}".encode()).hexdigest()[:40]
    key = f"{VARIANTS_PREFIX}{release()}:{path}"
    # The count lives as long as the entries it counts; it only grows until it expires.
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr: count again from here
        return False


def _find_site(request: HttpRequest) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        # Routing starts from the site's root page, as its specific type: keep it with the site.
        site.root_page = site.root_page.specific
    return site


def _site_for_request(request: HttpRequest) -> Site | None:
    """Wagtail finds the site, then loads its root page twice (base and specific), on every
    request; remember all three per host and port until a site or a site's root changes."""
    host = request._get_raw_host()  # type: ignore[attr-defined]  # what Wagtail matches on
    return tagging.memo(
        f"site:{host}:{request.get_port()}", [tagging.model_tag(Site)], lambda: _find_site(request)
    )


def _site_root_paths() -> Any:
    """Wagtail's root paths of every site, which it reads from the shared cache (one round
    trip) the first time a request makes a page URL: kept by this process instead, until a
    page's URL changes (a root page or one above it renamed or moved) or a site does (both
    bump ``urls``)."""
    return tagging.memo("site-root-paths", ["urls"], Site.get_site_root_paths)


def _prepare_site(request: HttpRequest) -> None:
    """What Wagtail looks up per request about the sites, from this process's copies."""
    request._wagtail_site = _site_for_request(request)  # type: ignore[attr-defined]
    # Lazily: an admin view or a redirect never makes a page URL, and must not pay for them.
    request._wagtail_cached_site_root_paths = SimpleLazyObject(_site_root_paths)  # type: ignore[attr-defined]


def _public_cache_control(response: HttpResponseBase, timeout: int) -> None:
    """Browsers keep the page but ask again each time (an ETag makes that a 304); a CDN, when
    one is configured to be purged, may keep it a while."""
    directives: dict[str, Any] = {"public": True, "max_age": 0, "must_revalidate": True}
    cdn_max_age = int(getattr(settings, "PAGECACHE_CDN_MAX_AGE", 0))
    if cdn_max_age > 0:
        directives["s_maxage"] = min(cdn_max_age, timeout)
    patch_cache_control(response, **directives)
    patch_vary_headers(response, ("Cookie",))


def _private_cache_control(response: HttpResponseBase) -> None:
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, private=True, no_cache=True)


def _storable(request: HttpRequest, response: HttpResponseBase, collector: Any) -> bool:
    if response.status_code == 404 and settings.DEBUG:
        # Django's technical 404 (URL patterns, settings): a developer's page, not the site's.
        return False
    if response.status_code == 404:
        collector.cacheable = True
        collector.tags.add("routes")
    if not collector.cacheable or collector.refused:
        return False
    if response.status_code not in STORED_STATUSES or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    # get_token() sets this key (CsrfViewMiddleware resets it to False once the cookie is
    # sent, but leaves it there): the response holds a token, which must not be replayed.
    if "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)


def _timeout(collector: Any) -> int:
    timeout = int(getattr(settings, "PAGECACHE_TIMEOUT", 86_400))
    if collector.expires_at is not None:
        timeout = min(timeout, int(collector.expires_at - time.time()))
    return timeout


class PageCacheMiddleware:
    """Place it right after WhiteNoise: a hit then skips sessions, CSRF and authentication."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Health probes must tell the truth about the cache, never depend on it.
        if request.path in UNCACHED_PATHS:
            return self.get_response(request)
        # The tag times the same address read last time (or, the first time, those every
        # address reads), in one round trip; each other tag once at most
        # (pagecache.tags.begin_tag_snapshot).
        hint = f"{request.META.get('HTTP_HOST', '')}{request.get_full_path()}"[:MAX_HINT_KEY]
        token = tagging.begin_tag_snapshot(_expected_tags.get(hint))
        try:
            return self._respond(request)
        finally:
            _expected_tags.put(hint, tagging.end_tag_snapshot(token))

    def _respond(self, request: HttpRequest) -> HttpResponseBase:
        key = entry_key(request) if enabled() else None
        entry = None
        if key is not None:
            try:
                entry = cache.get(key)
            except Exception:
                # The cache (Redis) is down: serve the page as if it were off rather than fail.
                logger.warning("Cache des pages injoignable : page servie sans cache.")
                key = None
        if key is None:
            _prepare_site(request)
            response = self.get_response(request)
            _private_cache_control(response)
            if enabled() and request.method in ("GET", "HEAD") and query_variant(request) is None:
                response["X-Cache"] = "BYPASS"  # a query string no page reads
            return response
        if entry is not None and tagging.is_fresh(entry["started_at"], entry["tags"]):
            return self._replay(request, entry)
        token = tagging.start()
        try:
            _prepare_site(request)
            response = self.get_response(request)
            collector = tagging.current()
        finally:
            tagging.stop(token)
        timeout = _timeout(collector)
        if (
            timeout <= 0
            or not _storable(request, response, collector)
            or not isinstance(response, HttpResponse)  # never, once storable: not streaming
            or not _variant_allowed(request, timeout, known=entry is not None)
        ):
            _private_cache_control(response)
            response["X-Cache"] = "BYPASS"
            return response
        self._store(key, response, collector, timeout)
        response["X-Cache"] = "MISS"
        # django-stubs: never None when given a response, but the stub does not say so.
        return get_conditional_response(request, etag=response["ETag"], response=response)  # type: ignore[return-value]

    def _store(self, key: str, response: HttpResponse, collector: Any, timeout: int) -> None:
        content = response.content
        response["ETag"] = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        _public_cache_control(response, timeout)
        entry = {
            "started_at": collector.started_at,
            "tags": sorted(collector.tags),
            "status": response.status_code,
            "headers": [
                (name, value) for name, value in response.items() if name.lower() != "x-cache"
            ],
            "content": content,
        }
        cache.set(key, entry, timeout=timeout)

    def _replay(self, request: HttpRequest, entry: dict[str, Any]) -> HttpResponseBase:
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["X-Cache"] = "HIT"
        # django-stubs: never None when given a response, but the stub does not say so.
        return get_conditional_response(request, etag=response["ETag"], response=response)  # type: ignore[return-value]
