"""Counts of an event's registrations and attendance rates, per event and per programme.

A rate is the share of confirmed registrations ticked present at the door, over the events
that have started (an event to come has nobody present yet and would only drag the rates
down). Anonymised registrations still count: anonymisation keeps the rows for that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from programs.models import EventPage

from .models import Registration

CONFIRMED = Q(status=Registration.Status.CONFIRMED)
PRESENT = CONFIRMED & Q(checked_in_at__isnull=False)
# The same conditions read from the event's side of the relation.
_CONFIRMED_ON_EVENT = Q(registrations__status=Registration.Status.CONFIRMED)
_PRESENT_ON_EVENT = _CONFIRMED_ON_EVENT & Q(registrations__checked_in_at__isnull=False)


#: Annotations of an event queryset with its counts (one join, one query).
COUNT_ANNOTATIONS = {
    "confirmed_count": Count("registrations", filter=_CONFIRMED_ON_EVENT),
    "waiting_count": Count("registrations", filter=Q(registrations__status="waiting")),
    "cancelled_count": Count("registrations", filter=Q(registrations__status="cancelled")),
    "present_count": Count("registrations", filter=_PRESENT_ON_EVENT),
}


@dataclass(frozen=True)
class Counts:
    """An event's registrations by state; ``present`` counts confirmed people ticked present."""

    confirmed: int = 0
    waiting: int = 0
    cancelled: int = 0
    present: int = 0


def event_counts(event: EventPage) -> Counts:
    """The four counts of one event, in one query."""
    values = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=CONFIRMED),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
        cancelled=Count("pk", filter=Q(status=Registration.Status.CANCELLED)),
        present=Count("pk", filter=PRESENT),
    )
    return Counts(**values)


@dataclass(frozen=True)
class Rate:
    """One bar of the chart: who came out of those registered."""

    label: str
    registered: int
    present: int

    @property
    def percent(self) -> int:
        return round(100 * self.present / self.registered) if self.registered else 0


def rates_by_event(
    events: QuerySet[EventPage], now: datetime | None = None, limit: int = 20
) -> list[Rate]:
    """The latest started events with confirmed registrations, latest first (one query)."""
    started = (
        events.filter(start__lte=now or timezone.now())
        .annotate(
            registered=Count("registrations", filter=_CONFIRMED_ON_EVENT),
            present=Count("registrations", filter=_PRESENT_ON_EVENT),
        )
        .filter(registered__gt=0)
        .order_by("-start", "-pk")
        .values_list("title", "start", "registered", "present")[:limit]
    )
    return [
        Rate(f"{title} ({timezone.localtime(start):%d/%m/%Y})", registered, present)
        for title, start, registered, present in started
    ]


def rates_by_programme(events: QuerySet[EventPage], now: datetime | None = None) -> list[Rate]:
    """Every programme's rate over its started events (one query); events with no programme
    are grouped together."""
    no_programme = gettext("Sans programme")
    rows = (
        Registration.objects.filter(
            CONFIRMED, event__in=events.values("pk"), event__start__lte=now or timezone.now()
        )
        .values("event__program_id", "event__program__title")
        .annotate(registered=Count("pk"), present=Count("pk", filter=PRESENT))
    )
    rates = [
        Rate(
            row["event__program__title"] or no_programme,
            row["registered"],
            row["present"],
        )
        for row in rows
    ]
    # Programmes by name, the events without one last.
    return sorted(rates, key=lambda rate: (rate.label == no_programme, rate.label.casefold()))
