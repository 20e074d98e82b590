"""Bounce and complaint reports from the sending service (django-anymail webhooks).

They feed the same suppression list as unsubscriptions and repeated SMTP refusals, so an
address reported once is never mailed again unless its owner opts in afresh.
"""

from __future__ import annotations

import logging
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType

from django.core.exceptions import ValidationError
from django.db import transaction

from subscriptions.models import Subscriber

from .addresses import address_hash, normalise_address
from .models import Suppression

logger = logging.getLogger(__name__)

SUPPRESSING_EVENTS = {
    EventType.BOUNCED: Suppression.Reason.BOUNCED,
    EventType.REJECTED: Suppression.Reason.BOUNCED,
    EventType.COMPLAINED: Suppression.Reason.COMPLAINT,
    EventType.UNSUBSCRIBED: Suppression.Reason.UNSUBSCRIBED,
}


def handle_tracking(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    """Suppress the address of a bounce, rejection, complaint or unsubscription report."""
    reason = SUPPRESSING_EVENTS.get(event.event_type)
    if reason is None or not event.recipient:
        return
    try:
        email_hash = address_hash(normalise_address(event.recipient))
    except ValidationError:
        logger.warning("Rapport %s de %s pour une adresse illisible.", event.event_type, esp_name)
        return
    source = f"webhook {esp_name} ({event.event_type})"
    with transaction.atomic():
        subscriber = Subscriber.objects.filter(email_hash=email_hash).first()
        if subscriber is not None and reason != Suppression.Reason.BOUNCED:
            # A complaint or an unsubscription withdraws consent: the ledger records it.
            from subscriptions.services import unsubscribe

            unsubscribe(subscriber, source=source, client_network="")
        Suppression.objects.update_or_create(address_hash=email_hash, defaults={"reason": reason})
    logger.info("Adresse bloquée après un rapport %s de %s.", event.event_type, esp_name)
