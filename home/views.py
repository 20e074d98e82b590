"""Site-wide views: search and robots.txt."""

from __future__ import annotations

import unicodedata

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from wagtail.models import Page

from ops.site_url import absolute_url

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def clean_query(raw: str) -> str:
    """The search terms as the search backend can take them.

    Control characters go (PostgreSQL refuses NUL in a string), and so do double quotes (the
    SQLite backend wraps each term in quotes, and a stray one breaks its query syntax); runs
    of white space become one space, and the query is cut to a length no real search needs.
    """
    printable = "".join(
        " " if char == '"' or unicodedata.category(char)[0] in {"C", "Z"} else char
        for char in raw[: MAX_QUERY_LENGTH * 4]
    )
    return " ".join(printable.split())[:MAX_QUERY_LENGTH].strip()


def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over live, public pages, ten results a page."""
    query = clean_query(request.GET.get("q", ""))
    if query:
        results = Page.objects.live().public().specific().search(query)
    else:
        results = Page.objects.none()
    paginator = Paginator(results, RESULTS_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "home/search.html",
        {"query": query, "page_obj": page_obj, "paginator": paginator},
    )


def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = absolute_url(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
