"""The single answer to "may this address be mailed for this topic now?", and who asked.

Sending code (newsletters, contest reminders) must ask here rather than filter subscribers
itself, so that status, topics and the suppression list are always all taken into account.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef

from mailing.addresses import address_hash, normalise_address

from .models import ConsentEvent, Subscriber, SubscriberQuerySet, Topic


def mailable_subscribers(topic: Topic | str) -> SubscriberQuerySet:
    """Everyone who may receive a mailing of ``topic`` (a Topic or its slug) now."""
    return Subscriber.objects.mailable(topic)


def may_mail(address: str, topic: Topic | str) -> bool:
    """True only for a confirmed, unsuppressed subscriber of an active ``topic``."""
    try:
        normalised = normalise_address(address)
    except ValidationError:
        return False
    return mailable_subscribers(topic).filter(email_hash=address_hash(normalised)).exists()


def newsletter_request() -> Exists:
    """For a subscriber row: did this person ever ask for the newsletters (sign-up, import)?

    Someone who only asked to be reminded of a contest has a subscriber row too, in the
    "pending" state, but no newsletter sign-up waiting for their confirmation.
    """
    return Exists(
        ConsentEvent.objects.filter(
            address_hash=OuterRef("email_hash"),
            kind__in=[ConsentEvent.Kind.SUBSCRIPTION, ConsentEvent.Kind.IMPORT],
        )
    )


def asked_for_newsletters(subscriber: Subscriber) -> bool:
    """Whether this person's newsletter sign-up exists, confirmed or waiting (see above)."""
    if subscriber.status != Subscriber.Status.PENDING:
        return True
    return Subscriber.objects.filter(pk=subscriber.pk).filter(newsletter_request()).exists()
