"""Who is reminded of a contest: its confirmed followers, and the subscribers of the
"Concours et votes" topic when a resident competes, minus whoever opted out of it.

Status, topics and the suppression list are those of ``subscriptions.audience``; a follow counts
only if it was confirmed after the person's last unsubscription. Each slot goes only to those
it is owed to (``owes``): a follower is owed the slots scheduled after they confirmed.
"""

from __future__ import annotations

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, Subquery, Value, When

from programs.models import ContestPage
from programs.reminder_plan import PlannedReminder, is_owed
from subscriptions.audience import mailable_subscribers
from subscriptions.models import Subscriber, SubscriberQuerySet

from .models import ContestFollow, ReminderDelivery

CONTESTS_TOPIC = "concours-votes"


def reminder_recipients(contest: ContestPage) -> SubscriberQuerySet:
    """Everyone who may be reminded to vote in ``contest`` now.

    Each row carries ``followed_since`` (when their follow of the contest was confirmed, or
    None) and ``via_topic`` (reached as a subscriber of the topic), which ``owes`` reads.
    """
    follows = ContestFollow.objects.filter(contest=contest, subscriber=OuterRef("pk"))
    following = follows.filter(confirmed_at__isnull=False, opted_out_at__isnull=True).filter(
        Q(subscriber__unsubscribed_at__isnull=True)
        | Q(confirmed_at__gt=F("subscriber__unsubscribed_at"))
    )
    audience = Q(Exists(following))
    via_topic: Case | Value = Value(False)
    if contest.entries.exists():
        topic_subscribers = mailable_subscribers(CONTESTS_TOPIC).exclude(
            Exists(follows.filter(opted_out_at__isnull=False))
        )
        audience |= Q(pk__in=topic_subscribers.values("pk"))
        via_topic = Case(
            When(pk__in=topic_subscribers.values("pk"), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    return (
        Subscriber.objects.filter(audience)
        .not_suppressed()
        .annotate(
            followed_since=Subquery(following.values("confirmed_at")[:1]),
            via_topic=via_topic,
        )
    )


def owes(subscriber: Subscriber, contest: ContestPage, slot: PlannedReminder) -> bool:
    """Whether ``slot`` is owed to a row of ``reminder_recipients``.

    Followers go by ``is_owed``, the rule their confirmation page used to list their reminders.
    Subscribers of the topic are owed every slot: when they took the topic is not recorded,
    and they were not promised a list.
    """
    if getattr(subscriber, "via_topic", False):
        return True
    since = getattr(subscriber, "followed_since", None)
    return since is not None and is_owed(slot, since, contest.vote_closes_at)


def pending_recipients(contest: ContestPage, slot_key: str) -> SubscriberQuerySet:
    """The recipients of a slot who have no ledger row for it yet (owed it or not)."""
    delivered = ReminderDelivery.objects.filter(
        contest=contest, slot_key=slot_key, address_hash=OuterRef("email_hash")
    )
    return reminder_recipients(contest).exclude(Exists(delivered))


def owed_pending_count(contest: ContestPage, slot: PlannedReminder) -> int:
    """How many people are still owed ``slot``: the dry run's count."""
    return sum(owes(s, contest, slot) for s in pending_recipients(contest, slot.key))
