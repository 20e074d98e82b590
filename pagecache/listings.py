"""A listing's page of results kept as one fragment: what a visitor asks for, as a key.

A listing (the residents' directory, the agenda) costs its queries even when every card is a
stored fragment: the pagination's COUNT, the page of rows, the filters' lookups. Kept whole,
under the query parameters it reads and the tag of its parent's children (bumped when a child
is published, unpublished, moved, changed or deleted), a stored page of results costs no
query; the cards it shows are replayed with their own tags (a logo, a trade, a programme).

``listing_variant`` turns the parameters a listing reads into that key, or refuses: an
unusual value (long, repeated, not slug-like) is rendered every time rather than kept, so
that nobody fills the cache with made-up variants of a page. The template then reads
``{% if variant %}{% cachedfragment "results" page variant %}…{% endcachedfragment %}…``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.http import HttpRequest

#: What a kept variant's values may be: empty, a page number, a slug or a choice.
_USUAL_VALUE = re.compile(r"[-\w]{0,64}")
#: A page number beyond this is refused (no listing here has that many pages).
_MAX_PAGE_DIGITS = 4


def listing_variant(request: HttpRequest, names: Iterable[str], page: str = "page") -> str:
    """The values of the query parameters ``names`` and ``page`` the listing reads, as one
    string (other parameters change nothing it shows); "" when one is unusual, and then the
    listing must be rendered rather than kept."""
    parts = []
    for name in [*names, page]:
        values = request.GET.getlist(name)
        if len(values) > 1:
            return ""
        value = values[0] if values else ""
        usual = (
            value == "" or (value.isascii() and value.isdigit() and len(value) <= _MAX_PAGE_DIGITS)
            if name == page
            else _USUAL_VALUE.fullmatch(value) is not None
        )
        if not usual:
            return ""
        parts.append(f"{name}={value}")
    return "&".join(parts)


def children_tag(path: str) -> str:
    """The tag bumped whenever a child of the page at ``path`` changes (``pagecache.signals``):
    a listing of those children records it."""
    return f"children:{path}"
