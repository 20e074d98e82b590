"""The single answer to "may this address be mailed for this topic now?".

Sending code (newsletters, contest reminders) must ask here rather than filter subscribers
itself, so that status, topics and the suppression list are always all taken into account.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from mailing.addresses import address_hash, normalise_address

from .models import Subscriber, SubscriberQuerySet, Topic


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
