"""Wagtail's redirects middleware, without a query for a 404 that no redirect matches.

Wagtail looks up a ``Redirect`` row on every 404, one or two queries (more with a query
string), though most 404s match none. The paths redirects start from are kept as one set
(``pagecache.memo``, under ``routes``, which every change to a redirect bumps, and every page
change too, since renaming or moving a page creates redirects in bulk); a 404 whose path is not
in it answers at once. When it is, Wagtail's own middleware runs unchanged, so which redirect
wins (the site's own before one for every site) and what it answers stay exactly Wagtail's.
"""

from __future__ import annotations

from urllib.parse import urlparse

from django.http import HttpRequest, HttpResponseBase
from django.utils.encoding import uri_to_iri

from wagtail.contrib.redirects.middleware import RedirectMiddleware as WagtailRedirectMiddleware
from wagtail.contrib.redirects.models import Redirect

from .tags import memo

#: What a change to a redirect bumps (``pagecache.signals.ROUTE_MODELS``).
TAGS = ("routes",)


def redirect_old_paths() -> frozenset[str]:
    """Every path a redirect starts from, on any site."""
    return memo(
        "redirects:old-paths",
        TAGS,
        lambda: frozenset(Redirect.objects.values_list("old_path", flat=True)),
    )


def candidate_paths(request: HttpRequest) -> set[str]:
    """Every ``old_path`` Wagtail's middleware may look up for ``request``: the normalised
    path with its query string, then without it, each as sent and percent-decoded."""
    path = Redirect.normalise_path(request.get_full_path(), decode_unicode=False)
    candidates: set[str] = set()
    for each in (path, urlparse(path).path):
        candidates.update((each, uri_to_iri(each)))
    return candidates


class RedirectMiddleware(WagtailRedirectMiddleware):
    """``wagtail.contrib.redirects``' middleware, asked only when a redirect may match."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.status_code != 404:
            return response
        if candidate_paths(request).isdisjoint(redirect_old_paths()):
            return response
        return super().process_response(request, response)
