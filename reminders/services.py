"""Following a contest (double opt-in), confirming it, and opting out of a contest's reminders.

Each function works in one transaction and writes its consent event, like
``subscriptions.services`` does for subscriptions.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mailing.addresses import address_hash
from mailing.models import OutboxEmail, Suppression
from mailing.outbox import queue_email
from programs.models import ContestPage
from subscriptions.audience import may_mail
from subscriptions.emails import absolute_url, render_email
from subscriptions.models import ConsentEvent, Subscriber
from subscriptions.services import record_event

from .audience import CONTESTS_TOPIC
from .models import ContestFollow, ReminderDelivery
from .tokens import FollowRequest, make_follow_token

Kind = ConsentEvent.Kind


def contest_source(contest: ContestPage, page: str) -> str:
    return f"rappel de vote « {contest.title} » (page {page})"


def request_follow(address: str, contest: ContestPage, *, page: str, client_network: str) -> None:
    """Record the request and send the confirmation link, whoever the address belongs to.

    A confirmed subscriber of "Concours et votes" is told that one click adds (or restores)
    this contest; anyone else confirms their address with that same click. The visitor sees
    the same page either way.
    """
    email_hash = address_hash(address)
    source = contest_source(contest, page)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(
            email_hash=email_hash, defaults={"email": address, "source": source[:255]}
        )
        event = record_event(
            Kind.CONTEST_FOLLOW, email_hash, source=source, client_network=client_network
        )
        token = make_follow_token(subscriber.public_id, contest.pk, event.pk)
        context = {
            "contest": contest,
            "confirm_url": absolute_url(reverse("reminders:confirm", args=[token])),
            "topic_subscriber": may_mail(address, CONTESTS_TOPIC),
        }
        queue_email(render_email(subscriber, "reminder_follow", context, kind="reminder_follow"))


class FollowOutcome(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    STALE = "stale"


@dataclass(frozen=True)
class FollowResult:
    outcome: FollowOutcome
    contest: ContestPage | None = None
    #: When the follow was confirmed: it decides which reminders the person is sent.
    followed_since: datetime | None = None


def confirm_follow(request: FollowRequest, *, client_network: str) -> FollowResult:
    """Apply the follow request a confirmation link names.

    A link older than an unsubscription or an opt-out of the contest changes nothing (STALE);
    following afresh lifts a suppression, as a newsletter confirmation does.
    """
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update().filter(public_id=request.subscriber_id).first()
        )
        contest = ContestPage.objects.filter(pk=request.contest_id).first()
        if subscriber is None or contest is None:
            return FollowResult(FollowOutcome.STALE)
        event = ConsentEvent.objects.filter(
            pk=request.event_id, kind=Kind.CONTEST_FOLLOW, address_hash=subscriber.email_hash
        ).first()
        if event is None:
            return FollowResult(FollowOutcome.STALE)
        if subscriber.unsubscribed_at and subscriber.unsubscribed_at > event.occurred_at:
            return FollowResult(FollowOutcome.STALE)
        follow, _created = ContestFollow.objects.get_or_create(
            contest=contest, subscriber=subscriber
        )
        if follow.opted_out_at and follow.opted_out_at > event.occurred_at:
            return FollowResult(FollowOutcome.STALE, contest)
        if follow.confirmed_at and follow.confirmed_at >= event.occurred_at:
            return FollowResult(FollowOutcome.ALREADY_CONFIRMED, contest, follow.confirmed_at)
        follow.confirmed_at = timezone.now()
        follow.opted_out_at = None
        follow.save(update_fields=["confirmed_at", "opted_out_at"])
        Suppression.objects.filter(address_hash=subscriber.email_hash).delete()
        record_event(
            Kind.CONTEST_FOLLOW_CONFIRMED,
            subscriber.email_hash,
            source=event.source,
            client_network=client_network,
        )
    return FollowResult(FollowOutcome.CONFIRMED, contest, follow.confirmed_at)


def opt_out(subscriber: Subscriber, contest: ContestPage, *, client_network: str) -> bool:
    """Stop this contest's reminders for this person; False if they already had."""
    with transaction.atomic():
        follow, _created = ContestFollow.objects.select_for_update().get_or_create(
            contest=contest, subscriber=subscriber
        )
        if follow.opted_out_at:
            return False
        follow.opted_out_at = timezone.now()
        follow.save(update_fields=["opted_out_at"])
        # A reminder already queued for this contest must not go out any more.
        OutboxEmail.objects.filter(
            sent_at=None,
            pk__in=ReminderDelivery.objects.filter(
                contest=contest, address_hash=subscriber.email_hash
            ).values("outbox_id"),
        ).delete()
        record_event(
            Kind.CONTEST_OPT_OUT,
            subscriber.email_hash,
            source=contest_source(contest, "désinscription du concours"),
            client_network=client_network,
        )
    return True
