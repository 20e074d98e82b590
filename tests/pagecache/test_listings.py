"""``listing_variant``: the query a listing reads as the key of its kept page of results, or
a refusal for what nobody asks through the site's own links."""

from __future__ import annotations

import pytest

from django.test import RequestFactory

from pagecache.listings import listing_variant

NAMES = ("trade", "space")


def variant(query: str) -> str:
    return listing_variant(RequestFactory().get(f"/residents/?{query}"), NAMES)


def test_listing_variant__keys_on_the_parameters_the_listing_reads_only() -> None:
    assert variant("") == "trade=&space=&page="
    assert variant("trade=batiment&page=2") == "trade=batiment&space=&page=2"
    # Tracking and unknown parameters change nothing the listing shows.
    assert variant("utm_source=lettre&page=2&trade=batiment") == variant("trade=batiment&page=2")


@pytest.mark.parametrize(
    "query",
    [
        "trade=" + "x" * 65,
        "trade=b%C3%A2timent+ou+pas",
        "space=a%26b",
        "page=12345",
        "page=-1",
        "page=2.0",
        "page=%D9%A3",  # a digit, but not an ASCII one
        "page=1&page=2",
        "trade=a&trade=b",
    ],
)
def test_listing_variant__refuses_an_unusual_query(query: str) -> None:
    assert variant(query) == ""
