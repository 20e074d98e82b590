"""The contests a person follows, as their preferences page shows them, and stopping one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.db.models import Exists, OuterRef
from django.utils import timezone

from programs.models import ContestPage
from programs.reminder_plan import PlannedReminder
from subscriptions.models import Subscriber

from .dispatch import reminders_to_come
from .models import ContestFollow


@dataclass(frozen=True)
class FollowedContest:
    """A contest whose reminders someone still receives, with the ones still to come."""

    contest: ContestPage
    reminders: list[PlannedReminder]


def _active_follows(subscriber: Subscriber) -> list[ContestFollow]:
    """Confirmed follows not opted out of nor cancelled by an unsubscription, votes not closed."""
    follows = ContestFollow.objects.filter(
        subscriber=subscriber,
        confirmed_at__isnull=False,
        opted_out_at__isnull=True,
        contest__vote_closes_at__gt=timezone.now(),
        contest__live=True,
    )
    if subscriber.unsubscribed_at:
        follows = follows.filter(confirmed_at__gt=subscriber.unsubscribed_at)
    return list(follows.select_related("contest").order_by("contest__vote_closes_at", "pk"))


def followed_contests(subscriber: Subscriber) -> list[FollowedContest]:
    """What the preferences page lists, by the rule the confirmation page and dispatcher use."""
    return [
        FollowedContest(
            follow.contest,
            # _active_follows keeps confirmed follows only.
            reminders_to_come(follow.contest, cast(datetime, follow.confirmed_at)),
        )
        for follow in _active_follows(subscriber)
    ]


def followed_contest(subscriber: Subscriber, contest_id: int) -> ContestPage | None:
    """One contest this person still follows, or None (unknown, not theirs, already stopped)."""
    return next(
        (f.contest for f in _active_follows(subscriber) if f.contest_id == contest_id), None
    )


def confirmed_follow() -> Exists:
    """For a subscriber row: did this person confirm following at least one contest?"""
    return Exists(
        ContestFollow.objects.filter(subscriber=OuterRef("pk"), confirmed_at__isnull=False)
    )
