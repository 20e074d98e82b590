"""Every public page type of the site, found in its database: what the site checks measure.

`make check-html` (the Nu Html Checker), `make lighthouse` and `make screenshots` look at one
page of each type. The list is not written by hand: it is one live, public page of every Wagtail
page model that has one (a page type added later, the legal pages say, is measured without a
change here), then the pages that are views rather than Wagtail pages: the filtered directory,
search results, the newsletter sign-up and its thanks, a contest's reminder form, and a 404.

``python -m bench.site_pages`` (in the site's settings) prints the list as JSON; ``load`` runs
it in a subprocess against another database and reads it back.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
NOT_FOUND_PATH = "/cette-page-n-existe-pas/"
SEARCH_QUERY = "atelier"


@dataclass(frozen=True)
class SitePage:
    """One page to measure: ``key`` names its files, ``label`` is what a reader sees."""

    key: str
    label: str
    path: str
    status: int = 200
    #: False for the pages search engines are told to skip (404, thanks, noindex forms):
    #: Lighthouse's SEO score is about the pages meant to be found.
    indexable: bool = True

    def filename(self, suffix: str) -> str:
        """``members-memberpage.html``: the key with only letters, digits and dashes."""
        return f"{slug(self.key)}{suffix}"


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def one_per_type(candidates: Iterable[tuple[str, str, str]]) -> list[SitePage]:
    """The first page of each type, ordered by path (the home page first, each index before
    its children): ``candidates`` gives (type key, type label, path) for every page that may
    stand for its type, the preferred one first."""
    chosen: dict[str, SitePage] = {}
    for key, label, path in candidates:
        if key not in chosen:
            chosen[key] = SitePage(key=key, label=label, path=path)
    return sorted(chosen.values(), key=lambda page: page.path)


def page_types() -> list[tuple[str, str]]:
    """(key, label) of every concrete Wagtail page type of the site."""
    from wagtail.models import Page, get_page_models

    return [
        (model._meta.label_lower, str(model._meta.verbose_name))
        for model in get_page_models()
        if model is not Page and not model._meta.abstract
    ]


def page_type_candidates() -> Iterable[tuple[str, str, str]]:
    """(type key, type label, path) of the oldest live, public page of each type."""
    from django.apps import apps

    for key, label in page_types():
        model = apps.get_model(key)
        pages = model.objects.live().public().exact_type(model).filter(depth__gt=1)
        for page in pages.order_by("path")[:1]:
            url = page.get_url()
            if url:
                yield key, label, url


def missing_types(pages: Iterable[SitePage], types: Iterable[tuple[str, str]]) -> list[str]:
    """The labels of the page types no page stands for (none live yet, say: then nothing
    measures them, which the checks say rather than pass in silence)."""
    found = {page.key for page in pages}
    return [f"{label} ({key})" for key, label in types if key not in found]


def view_pages() -> list[SitePage]:
    """The public pages that are Django views, not Wagtail pages, with the demo's content."""
    from django.urls import reverse

    from members.models import MemberIndexPage, Trade
    from programs.models import ContestPage

    pages = []
    directory = MemberIndexPage.objects.live().first()
    trade = Trade.objects.order_by("pk").first()
    if directory is not None and trade is not None:
        pages.append(
            SitePage(
                "members.directory-filtered",
                "annuaire filtré",
                f"{directory.url}?trade={trade.slug}&artisan=oui",
            )
        )
    pages.append(
        SitePage("search", "résultats de recherche", f"{reverse('search')}?q={SEARCH_QUERY}")
    )
    pages.append(
        SitePage("subscriptions.signup", "inscription à la lettre", reverse("subscriptions:signup"))
    )
    pages.append(
        SitePage(
            "subscriptions.thanks",
            "inscription : merci",
            reverse("subscriptions:thanks"),
            indexable=False,
        )
    )
    contest = ContestPage.objects.live().order_by("path").first()
    if contest is not None:
        pages.append(
            SitePage(
                "reminders.signup",
                "rappel de concours",
                reverse("reminders:signup", args=[contest.pk]),
                indexable=False,
            )
        )
    pages.append(SitePage("404", "page introuvable", NOT_FOUND_PATH, status=404, indexable=False))
    return pages


def discover() -> list[SitePage]:
    """One page of each Wagtail page type, then the view pages (needs Django set up)."""
    return one_per_type(page_type_candidates()) + view_pages()


def from_json(data: Iterable[Mapping[str, Any]]) -> list[SitePage]:
    return [SitePage(**item) for item in data]


def load(environ: Mapping[str, str]) -> tuple[list[SitePage], list[str]]:
    """The pages of the database ``environ`` names (DJANGO_SETTINGS_MODULE, DATABASE_URL…),
    and the page types without a live page."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.site_pages"],
        env=dict(environ),
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"python -m bench.site_pages a échoué :\n{done.stderr[-3000:]}")
    data = json.loads(done.stdout)
    return from_json(data["pages"]), list(data["missing"])


def report() -> dict[str, Any]:
    """What ``python -m bench.site_pages`` prints: the pages and the page types left out."""
    pages = discover()
    return {
        "pages": [asdict(page) for page in pages],
        "missing": missing_types(pages, page_types()),
    }


def main() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")  # as manage.py
    django.setup()
    print(json.dumps(report(), ensure_ascii=False))


if __name__ == "__main__":
    main()
