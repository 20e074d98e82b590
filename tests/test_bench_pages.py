"""``make bench-pages``: BENCH_PAGES picks the pages measured, the ceiling always with them."""

from __future__ import annotations

import pytest

from bench.pages import Target, chosen

PAGES = [
    Target("plafond (vue Django nue)", "/__bench__/plafond/", "ceiling"),
    Target("annuaire", "/residents/", "index"),
    Target("agenda", "/agenda/", "index"),
    Target("404", "/nulle-part/", "404", status=404),
]


def test_bench_pages__measures_every_page_unless_told() -> None:
    assert chosen(PAGES, "") == PAGES


def test_bench_pages__measures_the_ceiling_and_the_pages_named() -> None:
    assert [t.name for t in chosen(PAGES, "agenda, annuaire")] == [
        "plafond (vue Django nue)",
        "annuaire",
        "agenda",
    ]


def test_bench_pages__refuses_an_unknown_page_name() -> None:
    with pytest.raises(SystemExit, match="pages inconnues : agendas"):
        chosen(PAGES, "annuaire,agendas")
