"""Programs, events, partners and contests."""

from __future__ import annotations

from .base import ListingPage
from .contests import ContestEntry, ContestIndexPage, ContestPage, ContestStatus
from .events import EventIndexPage, EventPage
from .partners import PartnerIndexPage, PartnerPage
from .programs import ProgramIndexPage, ProgramKind, ProgramPage

__all__ = [
    "ContestEntry",
    "ContestIndexPage",
    "ContestPage",
    "ContestStatus",
    "EventIndexPage",
    "EventPage",
    "ListingPage",
    "PartnerIndexPage",
    "PartnerPage",
    "ProgramIndexPage",
    "ProgramKind",
    "ProgramPage",
]
