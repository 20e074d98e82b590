"""``{% cards "member" residents eager=1 as rendered %}``: the cards of a listing, each one
from the cache while nothing it shows changed (see ``core.cards``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.db import models
from django.utils.safestring import SafeString

from core.cards import render_cards

register = template.Library()


@register.simple_tag(takes_context=True)
def cards(
    context: template.Context,
    name: str,
    items: Iterable[models.Model],
    eager: int = 0,
    **values: Any,
) -> list[SafeString]:
    """The rendered card of each item, in order; the template wraps them (``<li>``…)."""
    return render_cards(context, name, items, eager, **values)
