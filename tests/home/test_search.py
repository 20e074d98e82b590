"""The search page: French results with snippets and pagination, and no 500 on odd input."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def bocaux_pages(publish_page) -> None:
    for n in range(12):
        publish_page(
            f"Bocaux de saison n° {n}",
            slug=f"bocaux-{n}",
            introduction=f"Des bocaux de fruits provençaux, recette {n}.",
        )


def test_search__lists_results_with_type_and_snippet(client, publish_page) -> None:
    publish_page("Accès", slug="acces", introduction="Venir au Carburateur en métro.")
    html = client.get("/recherche/", {"q": "métro"}).content.decode()
    assert "1 résultat pour « métro »" in html
    assert '<p class="search-result__type">Page standard</p>' in html
    assert '<a href="/acces/">Accès</a>' in html
    assert "Venir au Carburateur en métro." in html


def test_search__ignores_drafts(client, publish_page) -> None:
    publish_page("Brouillon secret", slug="brouillon", live=False)
    html = client.get("/recherche/", {"q": "secret"}).content.decode()
    assert "Aucun résultat pour « secret »" in html


def test_search__paginates_with_french_labels_keeping_the_query(client, bocaux_pages) -> None:
    first = client.get("/recherche/", {"q": "bocaux"}).content.decode()
    assert "12 résultats pour « bocaux »" in first
    assert first.count('class="search-result"') == 10
    assert "Page 1 sur 2" in first
    assert '<a href="?q=bocaux&amp;page=2" rel="next">Page suivante</a>' in first
    assert "Page précédente" not in first

    second = client.get("/recherche/", {"q": "bocaux", "page": "2"}).content.decode()
    assert second.count('class="search-result"') == 2
    assert '<a href="?q=bocaux&amp;page=1" rel="prev">Page précédente</a>' in second
    assert "Page suivante" not in second


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a" * 10_000},
        {"q": "bocaux " * 2_000},
        {"q": "bocaux", "page": "abc"},
        {"q": "bocaux", "page": "-1"},
        {"q": "bocaux", "page": "0"},
        {"q": "bocaux", "page": "99999999999999999999999999"},
        {"q": "bocaux", "page": "1e9999"},
        {"q": "bocaux", "page": "nan"},
        {"q": "\x00bocaux\x00"},
        {"q": "\x00"},
        {"q": "   "},
        {"q": "'; DROP TABLE wagtailcore_page; --"},
        {"q": '"bocaux'},
        {"q": "bocaux & | ! ( ) : * <-> \\"},
        {"q": "<script>alert(1)</script>"},
        {"q": "%"},
        {"q": "🚀 émoji"},
        {"q": "bocaux\u202e\u200b"},
        {"q": "AND OR NOT"},
    ],
)
def test_search__odd_input_never_fails(client, bocaux_pages, params) -> None:
    response = client.get("/recherche/", params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_search__repeated_q_parameter_is_answered(client, bocaux_pages) -> None:
    response = client.get("/recherche/?q=bocaux&q=fruits&page=2&page=x")
    assert response.status_code == 200
    assert "Bocaux de saison" in response.content.decode()


def test_search__without_query_shows_only_the_form(client, home_page) -> None:
    html = client.get("/recherche/").content.decode()
    assert '<label for="search-q">Rechercher sur le site</label>' in html
    assert "résultat" not in html


def test_search__out_of_range_page_shows_the_last_page(client, bocaux_pages) -> None:
    html = client.get("/recherche/", {"q": "bocaux", "page": "50"}).content.decode()
    assert "Page 2 sur 2" in html
