"""Cards in listings, each kept as a cached fragment of its own.

A listing (the residents' directory, the agenda) shows a page of cards; most of its render time
is theirs, and most of it is the same from one visitor to the next. Each card is stored under
its template, its object and the values that vary it (its heading level, whether its image
loads eagerly), with the tags of everything it shows: the page, its image, its trade or its
program (``pagecache.loaded_tags``). A listing fetches all its cards in one cache call and
renders only the missing ones, after loading what they show for all of them at once
(``prefetch``: the renditions of their images), so that a listing of many cards costs a fixed
number of queries even when no card is stored (``pagecache.fragments``).

Apps register their kinds of card (``register_card``), templates render them with
``{% cards "member" residents eager=1 as rendered %}`` (``core.templatetags.card_tags``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.template import Context
from django.utils.safestring import SafeString, mark_safe

from pagecache import fragments, record
from pagecache.release import release
from pagecache.signals import loaded_tags

Prefetch = Callable[[list[Any]], None]


@dataclass(frozen=True)
class CardKind:
    """A kind of card: its template, the name it gives its object, and what to load for a
    batch of cards about to be rendered (nothing if the listing's query loads it all)."""

    template: str
    variable: str
    prefetch: Prefetch | None = None


_kinds: dict[str, CardKind] = {}


def register_card(
    name: str, template: str, variable: str, prefetch: Prefetch | None = None
) -> None:
    """Make ``{% cards name items %}`` render each item with ``template`` as ``variable``."""
    _kinds[name] = CardKind(template, variable, prefetch)


def card_kind(name: str) -> CardKind:
    """The kind of card called ``name``; an unknown name is a programming error."""
    return _kinds[name]


def _key(kind: CardKind, host: str, item: models.Model, values: dict[str, Any]) -> str:
    parts = [
        "card",
        kind.template,
        host,
        f"{item._meta.label}:{item.pk}",
        *(f"{name}={value!r}" for name, value in sorted(values.items())),
    ]
    return f"{release()}:card:{hashlib.sha256(chr(31).join(parts).encode()).hexdigest()[:40]}"


def render_cards(
    context: Context, name: str, items: Iterable[models.Model], eager: int = 0, **values: Any
) -> list[SafeString]:
    """The card of each of ``items``, from the cache when stored and still fresh.

    The first ``eager`` cards load their image at once (``eager`` in the card's template);
    ``values`` (plain values: numbers, strings) are handed to every card and vary its key.
    Cards see nothing else of the page's context but the request, whose scheme and host vary
    the key too (the links in a card are relative to the site it is served for).
    """
    kind = card_kind(name)
    items = list(items)
    request = context.get("request")
    host = f"{request.scheme}://{request.get_host()}" if request is not None else ""
    template = context.template.engine.get_template(kind.template)  # type: ignore[union-attr]

    def piece(position: int, item: models.Model) -> tuple[str, Callable[[], str]]:
        card_values = {**values, "eager": position < eager}

        def render() -> str:
            record(*loaded_tags(item))
            return template.render(
                context.new({**card_values, kind.variable: item, "request": request})
            )

        return _key(kind, host, item, card_values), render

    def prepare(positions: list[int]) -> None:
        if kind.prefetch is not None:
            kind.prefetch([items[position] for position in positions])

    pieces = [piece(position, item) for position, item in enumerate(items)]
    return [mark_safe(html) for html in fragments(pieces, prepare)]  # noqa: S308 - templates' output
