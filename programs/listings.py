"""What the home page shows from this app: a few calls, each in a constant number of queries."""

from __future__ import annotations

from django.db.models import QuerySet

from pagecache import record, type_tag

from .models import ContestPage, EventPage, ProgramPage
from .models.contests import depends_on_contest_votes
from .models.events import depends_on_upcoming_events


def upcoming_events(limit: int) -> QuerySet[EventPage]:
    """The next ``limit`` live events not yet over, soonest first, with their program."""
    depends_on_upcoming_events()
    return EventPage.objects.live().upcoming().for_cards()[:limit]


def open_contests(limit: int) -> QuerySet[ContestPage]:
    """Up to ``limit`` live contests open to votes, closing soonest first, with competitors."""
    depends_on_contest_votes()
    return ContestPage.objects.live().open().with_competitors()[:limit]


def featured_programs(limit: int) -> QuerySet[ProgramPage]:
    """Up to ``limit`` live programs flagged for the home page, with partner and card image."""
    record(type_tag(ProgramPage))
    return ProgramPage.objects.live().filter(featured=True).for_cards().order_by("title")[:limit]
