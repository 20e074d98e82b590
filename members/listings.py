"""What the residents' directory exposes to other parts of the site (the home page)."""

from __future__ import annotations

from django.db.models import F

from core.models import public
from pagecache import record, type_tag

from .models import MemberPage, with_card_data


def resident_count() -> int:
    """How many residents the hub hosts: the live resident pages, counted each time."""
    record(type_tag(MemberPage))
    return public(MemberPage.objects.live()).count()


def latest_residents(limit: int) -> list[MemberPage]:
    """The ``limit`` residents who joined last (first published), ready for their cards
    (``{% cards "member" %}`` loads their logos' renditions), in one query."""
    record(type_tag(MemberPage))
    queryset = public(MemberPage.objects.live()).order_by(
        F("first_published_at").desc(nulls_last=True), "-pk"
    )
    return list(with_card_data(queryset)[: max(limit, 0)])
