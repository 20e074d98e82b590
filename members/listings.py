"""What the residents' directory exposes to other parts of the site (the home page)."""

from __future__ import annotations

from django.db.models import QuerySet

from home.models import public
from pagecache import record, type_tag

from .models import MemberPage, with_card_data


def live_members() -> QuerySet[MemberPage]:
    """Published residents visible to everyone, with what a card shows fetched up front."""
    return with_card_data(public(MemberPage.objects.live()))


def resident_count() -> int:
    """How many residents the hub hosts: the live resident pages, counted each time."""
    record(type_tag(MemberPage))
    return public(MemberPage.objects.live()).count()


def recent_members(limit: int = 4) -> list[MemberPage]:
    """The residents who joined most recently (by resident-since date, then publication)."""
    record(type_tag(MemberPage))
    queryset = live_members().order_by("-resident_since", "-first_published_at", "-pk")
    return list(queryset[: max(limit, 0)])
