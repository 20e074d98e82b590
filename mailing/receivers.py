"""Bounce and complaint reports from the sending service (django-anymail webhooks).

They feed the same suppression list as unsubscriptions and repeated SMTP refusals, so an
address reported once is never mailed again unless its owner opts in afresh. What a report
means for a subscriber is decided above, by a receiver of ``signals.address_reported``.
"""

from __future__ import annotations

import logging
from typing import Any

from anymail.signals import AnymailTrackingEvent, EventType

from django.core.exceptions import ValidationError
from django.db import transaction

from .addresses import address_hash, normalise_address
from .models import Suppression
from .signals import address_reported

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
    with transaction.atomic():
        Suppression.objects.update_or_create(address_hash=email_hash, defaults={"reason": reason})
        # In the same transaction: a receiver that fails leaves the address unsuppressed too,
        # and the service, answered with an error, reports it again.
        address_reported.send(
            sender=Suppression,
            address_hash=email_hash,
            reason=reason,
            source=f"webhook {esp_name} ({event.event_type})",
        )
    logger.info("Adresse bloquée après un rapport %s de %s.", event.event_type, esp_name)
