"""What happens to a subscriber: subscribe, confirm, change topics, unsubscribe, erase.

Each function does its work in one transaction and writes the matching consent event, so
the ledger and the subscriber table never disagree.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from wagtail import hooks

from mailing.addresses import address_hash
from mailing.models import OutboxEmail, Suppression
from mailing.outbox import queue_email
from subscriptions.emails import confirmation_url, render_email

from .hooks import PERSON_DATA, PERSON_ERASURE
from .importer import scrub_erased_address
from .models import ConsentEvent, ConsentWording, Subscriber, Topic
from .tokens import ConfirmationRequest, make_confirmation_token

Kind = ConsentEvent.Kind


def record_event(
    kind: str,
    email_hash: str,
    *,
    topics: Iterable[Topic] | Iterable[str] = (),
    wording: ConsentWording | None = None,
    source: str,
    client_network: str = "",
) -> ConsentEvent:
    slugs = sorted(t.slug if isinstance(t, Topic) else str(t) for t in topics)
    return ConsentEvent.objects.create(
        kind=kind,
        address_hash=email_hash,
        topics=slugs,
        wording=wording,
        source=source[:255],
        client_network=client_network,
    )


def request_subscription(
    address: str,
    topics: Iterable[Topic],
    wording: ConsentWording,
    *,
    source: str,
    client_network: str,
) -> None:
    """Record a sign-up and send the double opt-in email.

    ``address`` is already normalised. Whether the address is new, pending, confirmed or
    unsubscribed, the caller sees the same thing; the topics only change once the person
    follows the link in the email.
    """
    email_hash = address_hash(address)
    topics = list(topics)
    with transaction.atomic():
        subscriber = _subscriber_for(address, email_hash, source)
        event = record_event(
            Kind.SUBSCRIPTION,
            email_hash,
            topics=topics,
            wording=wording,
            source=source,
            client_network=client_network,
        )
        token = make_confirmation_token(subscriber.public_id, event.pk)
        context = {
            "confirm_url": confirmation_url(token),
            "topics": topics,
            "already_confirmed": subscriber.status == Subscriber.Status.CONFIRMED,
        }
        queue_email(render_email(subscriber, "confirmation", context, kind="confirmation"))


def _subscriber_for(address: str, email_hash: str, source: str) -> Subscriber:
    """The subscriber of ``address``, inserted if it is new.

    ``INSERT … ON CONFLICT DO NOTHING`` then a read: two round trips, where ``get_or_create``
    took four for a new address (read, savepoint, insert, release). A sign-up of the same
    address in another transaction makes this insert wait for that one to end and then do
    nothing, and the read finds its row: still one subscriber.
    """
    Subscriber.objects.bulk_create(
        [Subscriber(email=address, email_hash=email_hash, source=source[:255])],
        ignore_conflicts=True,
    )
    return Subscriber.objects.get(email_hash=email_hash)


class ConfirmOutcome(enum.Enum):
    CONFIRMED = "confirmed"
    ALREADY_CONFIRMED = "already_confirmed"
    STALE = "stale"


def confirm(request: ConfirmationRequest, *, client_network: str) -> ConfirmOutcome:
    """Apply the subscription request a confirmation link names.

    A link whose request was already applied answers ALREADY_CONFIRMED; a link issued before
    the person unsubscribed, or for an erased person, answers STALE and changes nothing.
    """
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update().filter(public_id=request.subscriber_id).first()
        )
        if subscriber is None:
            return ConfirmOutcome.STALE
        event = ConsentEvent.objects.filter(
            pk=request.event_id, kind=Kind.SUBSCRIPTION, address_hash=subscriber.email_hash
        ).first()
        if event is None:
            return ConfirmOutcome.STALE
        if subscriber.unsubscribed_at and subscriber.unsubscribed_at > event.occurred_at:
            return ConfirmOutcome.STALE
        if subscriber.confirmed_at and subscriber.confirmed_at >= event.occurred_at:
            return ConfirmOutcome.ALREADY_CONFIRMED
        was_confirmed = subscriber.status == Subscriber.Status.CONFIRMED
        topics = list(Topic.objects.filter(slug__in=event.topics))
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
        subscriber.topics.set(topics)
        # A fresh double opt-in is the one thing that lifts a suppression.
        Suppression.objects.filter(address_hash=subscriber.email_hash).delete()
        record_event(
            Kind.TOPICS_CHANGED if was_confirmed else Kind.CONFIRMATION,
            subscriber.email_hash,
            topics=topics,
            wording=event.wording,
            source=event.source,
            client_network=client_network,
        )
    return ConfirmOutcome.CONFIRMED


def change_topics(
    subscriber: Subscriber, topics: Iterable[Topic], *, source: str, client_network: str
) -> bool:
    """Set a confirmed subscriber's topics; return False if nothing changed."""
    topics = list(topics)
    with transaction.atomic():
        if {t.pk for t in topics} == set(subscriber.topics.values_list("pk", flat=True)):
            return False
        subscriber.topics.set(topics)
        record_event(
            Kind.TOPICS_CHANGED,
            subscriber.email_hash,
            topics=topics,
            source=source,
            client_network=client_network,
        )
    return True


def unsubscribe(subscriber: Subscriber, *, source: str, client_network: str) -> bool:
    """Unsubscribe from everything and suppress the address; False if it already was."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            return False
        previous_topics = list(subscriber.topics.all())
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
        subscriber.topics.clear()
        Suppression.objects.get_or_create(
            address_hash=subscriber.email_hash,
            defaults={"reason": Suppression.Reason.UNSUBSCRIBED},
        )
        # Mail queued for this address but not yet sent must not go out any more.
        OutboxEmail.objects.filter(address_hash=subscriber.email_hash, sent_at=None).delete()
        record_event(
            Kind.UNSUBSCRIPTION,
            subscriber.email_hash,
            topics=previous_topics,
            source=source,
            client_network=client_network,
        )
    return True


def export_person(subscriber: Subscriber) -> dict[str, Any]:
    """Everything held about one subscriber, for a data-access request (RGPD art. 15)."""
    return export_address(subscriber.email_hash)


def export_address(email_hash: str) -> dict[str, Any]:
    """Everything held about the person with this address hash, subscriber or not: their
    subscription if any, the consent ledger, emails, the suppression list, and what other apps
    hold (``PERSON_DATA``, such as their registrations for events)."""
    subscriber = Subscriber.objects.filter(email_hash=email_hash).first()
    data: dict[str, Any] = {}
    if subscriber is not None:
        data.update(
            {
                "adresse": subscriber.email,
                "statut": subscriber.status,
                "source": subscriber.source,
                "inscrit_le": _iso(subscriber.created_at),
                "confirme_le": _iso(subscriber.confirmed_at),
                "desinscrit_le": _iso(subscriber.unsubscribed_at),
                "themes": [{"identifiant": t.slug, "nom": t.name} for t in subscriber.topics.all()],
            }
        )
    data.update(
        {
            "registre_des_consentements": [
                {
                    "evenement": event.kind,
                    "date": _iso(event.occurred_at),
                    "themes": event.topics,
                    "version_du_texte": event.wording.version if event.wording else None,
                    "texte_de_consentement": event.wording.text if event.wording else None,
                    "source": event.source,
                    "reseau_client": event.client_network,
                }
                for event in ConsentEvent.objects.filter(address_hash=email_hash)
                .select_related("wording")
                .order_by("occurred_at", "pk")
            ],
            "courriels": [
                {
                    "objet": email.subject,
                    "cree_le": _iso(email.created_at),
                    "envoye_le": _iso(email.sent_at),
                }
                for email in OutboxEmail.objects.filter(address_hash=email_hash).order_by(
                    "created_at"
                )
            ],
            "liste_de_blocage": [
                {"motif": s.reason, "depuis_le": _iso(s.created_at)}
                for s in Suppression.objects.filter(address_hash=email_hash)
            ],
        }
    )
    for more in hooks.get_hooks(PERSON_DATA):
        data.update(more(email_hash))
    return data


def held_elsewhere(email_hash: str) -> dict[str, Any]:
    """What other apps hold about this person (``PERSON_DATA``): empty if nothing."""
    data: dict[str, Any] = {}
    for more in hooks.get_hooks(PERSON_DATA):
        data.update({key: value for key, value in more(email_hash).items() if value})
    return data


def erase(subscriber: Subscriber, *, source: str) -> None:
    """Remove the person's data; keep the keyed hash so the address is never mailed again."""
    erase_address(subscriber.email_hash, source=source)


def erase_address(email_hash: str, *, source: str) -> None:
    """Erase the person with this address hash, subscriber or not: what other apps hold
    (``PERSON_ERASURE``), their emails, their subscription; the keyed hash is kept in the
    suppression list and the ledger records the erasure."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email_hash=email_hash).first()
        previous_topics = list(subscriber.topics.all()) if subscriber is not None else []
        # First: another app may queue an email to the person while erasing (a cancellation),
        # which the deletion below then removes before it is ever sent.
        for erase_more in hooks.get_hooks(PERSON_ERASURE):
            erase_more(email_hash, source)
        OutboxEmail.objects.filter(address_hash=email_hash).delete()
        Suppression.objects.update_or_create(
            address_hash=email_hash, defaults={"reason": Suppression.Reason.ERASED}
        )
        record_event(Kind.ERASURE, email_hash, topics=previous_topics, source=source)
        scrub_erased_address(email_hash)
        if subscriber is not None:
            subscriber.delete()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
