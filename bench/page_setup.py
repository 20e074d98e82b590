"""Helpers the benchmark runs in the site's own settings.

``python -m bench.page_setup`` adds the bulk content; ``--urls`` prints the pages to measure as
JSON;
``--queries`` prints the SQL queries each costs, rendered (page cache off, other caches warm)
and served from the page cache.
"""

from __future__ import annotations

import json
import sys

import django


def urls() -> dict[str, str]:
    """One page of each public type, each showing what makes its type cost something: the
    article with related pages, an upcoming event of a program, the program with the most
    sessions, a contest with its competitors."""
    from django.db.models import Count
    from django.utils import timezone

    from members.models import MemberIndexPage, MemberPage, Trade
    from news.models import ArticlePage
    from programs.models import ContestPage, EventIndexPage, EventPage, ProgramPage

    directory = MemberIndexPage.objects.get().url
    return {
        "directory": directory,
        "directory_filtered": f"{directory}?trade={Trade.objects.earliest('pk').slug}&artisan=oui",
        "resident": MemberPage.objects.live().order_by("-pk").first().url,
        "article": ArticlePage.objects.live().filter(related_pages__isnull=False).first().url,
        "events": EventIndexPage.objects.get().url,
        "event": EventPage.objects.live()
        .filter(program__isnull=False, end__gte=timezone.now())
        .order_by("start", "pk")
        .first()
        .url,
        "program": ProgramPage.objects.live()
        .annotate(sessions=Count("events"))
        .order_by("-sessions", "pk")
        .first()
        .url,
        "contest": ContestPage.objects.live()
        .filter(entries__isnull=False)
        .order_by("pk")
        .first()
        .url,
    }


def queries(paths: list[str]) -> dict[str, dict[str, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")

    def count(path: str) -> int:
        client.get(path)
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        return len(captured)

    counts: dict[str, dict[str, int]] = {}
    # One process, one clock: no margin for other hosts' clocks (see pagecache.tags).
    with override_settings(PAGECACHE_CLOCK_SKEW=0):
        for path in paths:
            with override_settings(PAGECACHE_ENABLED=False):
                uncached = count(path)
            with override_settings(PAGECACHE_ENABLED=True):
                cached = count(path)
            counts[path] = {"uncached": uncached, "cached": cached}
    return counts


def main(argv: list[str]) -> None:
    django.setup()
    if "--urls" in argv:
        print(json.dumps(urls()))
    elif "--queries" in argv:
        paths = ["/__bench__/plafond/", "/", *urls().values(), "/cette-page-n-existe-pas/"]
        print(json.dumps(queries(paths)))
    else:
        from bench.content import load_bulk_content

        load_bulk_content()


if __name__ == "__main__":
    main(sys.argv[1:])
