"""The site checks' own logic: which pages they measure (``bench.site_pages``), how the Nu Html
Checker's report reads (``bench.html_check``), and Lighthouse's scores against the goals
(``bench.lighthouse``). The checks themselves run in the browser lane and `make lighthouse`."""

from __future__ import annotations

import json

import pytest

from bench.html_check import HtmlError, parse_vnu
from bench.lighthouse import PageScores, goals, summarize, table
from bench.site_pages import NOT_FOUND_PATH, SitePage, discover, missing_types, one_per_type
from home.models import HomePage
from tests.factories.home import StandardPageFactory
from tests.factories.programs import ProgramIndexPageFactory

# --- Which pages ---------------------------------------------------------------------------


def test_one_per_type__keeps_the_first_page_of_each_type_in_path_order() -> None:
    pages = one_per_type(
        [
            ("news.articlepage", "article", "/actualites/b/"),
            ("home.homepage", "accueil", "/"),
            ("news.articlepage", "article", "/actualites/a/"),
        ]
    )

    assert [(page.key, page.path) for page in pages] == [
        ("home.homepage", "/"),
        ("news.articlepage", "/actualites/b/"),
    ]


def test_missing_types__names_the_types_no_page_stands_for() -> None:
    pages = [SitePage("home.homepage", "accueil", "/")]
    types = [("home.homepage", "accueil"), ("news.articlepage", "article")]

    assert missing_types(pages, types) == ["article (news.articlepage)"]


def test_filename__only_letters_digits_and_dashes() -> None:
    page = SitePage("members.directory-filtered", "annuaire filtré", "/residents/?trade=x")

    assert page.filename(".html") == "members-directory-filtered.html"


@pytest.mark.django_db
def test_discover__one_live_page_a_type_then_the_view_pages(home_page: HomePage) -> None:
    StandardPageFactory(title="Brouillon", live=False)  # first in the tree, but not live
    first = StandardPageFactory(title="Le lieu")
    StandardPageFactory(title="Le quartier")
    ProgramIndexPageFactory()

    pages = {page.key: page for page in discover()}

    assert pages["home.homepage"].path == "/"
    assert pages["home.standardpage"].path == first.url
    assert pages["programs.programindexpage"].path == "/programmes/"
    assert "members.memberpage" not in pages  # none in the database
    assert pages["404"] == SitePage("404", "page introuvable", NOT_FOUND_PATH, 404, False)
    assert not pages["subscriptions.thanks"].indexable
    assert pages["subscriptions.signup"].indexable
    assert pages["search"].path.startswith("/recherche/?q=")


# --- The Nu Html Checker's report ------------------------------------------------------------

VNU_OUTPUT = json.dumps(
    {
        "messages": [
            {
                "type": "error",
                "url": "file:/tmp/run/html/programs-programindexpage.html",
                "lastLine": 75,
                "firstColumn": 1,
                "lastColumn": 54,
                "message": "Bad value “” for attribute “action” on element “form”.",
                "extract": 'rmer.</p>\n<form class="filters" action="">\n  <la',
            },
            {"type": "info", "url": "file:/tmp/run/html/home-homepage.html", "message": "x"},
            {"type": "non-document-error", "url": "file:/tmp/gone.html", "message": "IO"},
        ]
    }
)


def test_parse_vnu__keeps_the_errors_with_file_line_and_message() -> None:
    errors = parse_vnu(VNU_OUTPUT)

    assert errors == [
        HtmlError(
            "programs-programindexpage.html",
            75,
            1,
            "Bad value “” for attribute “action” on element “form”.",
            'rmer.</p>\n<form class="filters" action="">\n  <la',
        ),
        HtmlError("gone.html", None, None, "IO"),
    ]
    assert errors[0].describe() == (
        "programs-programindexpage.html:75:1 : Bad value “” for attribute “action” on element"
        ' “form”.\n    … rmer.</p> <form class="filters" action=""> <la …'
    )
    assert errors[1].describe() == "gone.html : IO"


def test_parse_vnu__no_output_no_error() -> None:
    assert parse_vnu("") == []
    assert parse_vnu('{"messages": []}') == []


# --- Lighthouse's scores ---------------------------------------------------------------------


def report(scores: dict[str, float], audits: dict[str, tuple[float | None, str]]) -> dict:
    """A Lighthouse JSON report cut down to what ``summarize`` reads; every audit in every
    category."""
    refs = [{"id": audit, "weight": 1} for audit in audits]
    return {
        "categories": {
            category: {"score": score, "auditRefs": refs} for category, score in scores.items()
        },
        "audits": {
            audit: {"score": score, "scoreDisplayMode": mode}
            for audit, (score, mode) in audits.items()
        },
    }


ALL_GOOD = {"performance": 0.99, "accessibility": 1, "best-practices": 1, "seo": 1}


def test_summarize__scores_out_of_100_and_the_audits_below_90() -> None:
    scores = summarize(
        "programme",
        "/programmes/a/",
        report(
            {**ALL_GOOD, "seo": 0.92},
            {
                "meta-description": (0, "binary"),
                "largest-contentful-paint": (0.95, "numeric"),
                "total-blocking-time": (0.5, "numeric"),
                "diagnostics": (0, "informative"),
                "bf-cache": (None, "notApplicable"),
            },
        ),
    )

    assert scores.scores == {
        "performance": 99,
        "accessibility": 100,
        "best-practices": 100,
        "seo": 92,
    }
    assert scores.failing["seo"] == ["meta-description", "total-blocking-time"]
    assert scores.missed(goals("desktop")) == ["seo"]


def test_goals__performance_counts_on_desktop_only() -> None:
    slow = PageScores("accueil", "/", {**dict.fromkeys(ALL_GOOD, 100), "performance": 80})

    assert slow.missed(goals("desktop")) == ["performance"]
    assert slow.missed(goals("mobile")) == []


def test_summarize__a_page_lighthouse_could_not_load_misses_every_goal() -> None:
    scores = summarize("accueil", "/", {"runtimeError": {"message": "NO_FCP"}})

    assert scores.error == "NO_FCP"
    assert scores.missed(goals("desktop")) == list(goals("desktop"))


def test_table__a_row_a_page_and_the_audits_behind_each_missed_goal() -> None:
    rows = [
        PageScores("accueil", "/", {k: round(v * 100) for k, v in ALL_GOOD.items()}),
        PageScores(
            "programme",
            "/programmes/a/",
            {**dict.fromkeys(ALL_GOOD, 100), "seo": 92},
            {"seo": ["meta-description"]},
        ),
    ]

    lines = table(rows, goals("desktop")).splitlines()

    assert lines[0].split() == ["page", "perf.", "access.", "bonnes", "pr.", "SEO"]
    assert lines[2].split() == ["accueil", "99", "100", "100", "100"]
    assert lines[3].split() == ["programme", "100", "100", "100", "92", "MANQUÉ"]
    assert lines[4] == "✗ programme (/programmes/a/), SEO < 100 : meta-description"


@pytest.mark.parametrize(
    ("source", "noindex"),
    [
        ({"type": "node", "snippet": '<meta name="robots" content="noindex">'}, True),
        ("x-robots-tag: noindex", True),
        ({"type": "source-location", "url": "http://127.0.0.1/robots.txt"}, False),
    ],
)
def test_summarize__a_page_that_asks_noindex_is_not_held_to_the_seo_goal(
    source: object, noindex: bool
) -> None:
    data = report({**ALL_GOOD, "seo": 0.54}, {"is-crawlable": (0, "binary")})
    data["audits"]["is-crawlable"]["details"] = {"items": [{"source": source}]}

    scores = summarize("recherche", "/recherche/?q=x", data)

    assert scores.noindex is noindex
    assert scores.missed(goals("desktop")) == ([] if noindex else ["seo"])
