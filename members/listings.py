"""What the residents' directory exposes to other parts of the site (the home page)."""

from __future__ import annotations

from core.models import public
from pagecache import record, type_tag

from .models import MemberPage


def resident_count() -> int:
    """How many residents the hub hosts: the live resident pages, counted each time."""
    record(type_tag(MemberPage))
    return public(MemberPage.objects.live()).count()
