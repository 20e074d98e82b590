"""Who is reminded of a contest: its confirmed followers, and the subscribers of the
"Concours et votes" topic when a resident competes, minus whoever opted out of it.

Status, topics and the suppression list are those of ``newsletters.audience``; a follow counts
only if it was confirmed after the person's last unsubscription.
"""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q

from programs.models import ContestPage

from ..audience import mailable_subscribers
from ..models import ContestFollow, ReminderDelivery, Subscriber, SubscriberQuerySet

CONTESTS_TOPIC = "concours-votes"


def reminder_recipients(contest: ContestPage) -> SubscriberQuerySet:
    """Everyone who may be reminded to vote in ``contest`` now."""
    follows = ContestFollow.objects.filter(contest=contest, subscriber=OuterRef("pk"))
    following = follows.filter(confirmed_at__isnull=False, opted_out_at__isnull=True).filter(
        Q(subscriber__unsubscribed_at__isnull=True)
        | Q(confirmed_at__gt=F("subscriber__unsubscribed_at"))
    )
    audience = Q(Exists(following))
    if contest.entries.exists():
        topic_subscribers = mailable_subscribers(CONTESTS_TOPIC).exclude(
            Exists(follows.filter(opted_out_at__isnull=False))
        )
        audience |= Q(pk__in=topic_subscribers.values("pk"))
    return Subscriber.objects.filter(audience).not_suppressed()


def pending_recipients(contest: ContestPage, slot_key: str) -> SubscriberQuerySet:
    """The recipients of a slot who have no ledger row for it yet."""
    delivered = ReminderDelivery.objects.filter(
        contest=contest, slot_key=slot_key, address_hash=OuterRef("email_hash")
    )
    return reminder_recipients(contest).exclude(Exists(delivered))
