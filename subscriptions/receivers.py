"""What a sending service's report means for a subscriber (``mailing.signals.address_reported``)."""

from __future__ import annotations

from typing import Any

from mailing.models import Suppression

from .models import Subscriber
from .services import unsubscribe


def unsubscribe_reported_address(
    sender: Any, address_hash: str, reason: str, source: str, **kwargs: Any
) -> None:
    """A complaint or an unsubscription withdraws consent: the consent ledger records it.

    A bounce does not: the address is suppressed, but its owner never said no.
    """
    if reason == Suppression.Reason.BOUNCED:
        return
    subscriber = Subscriber.objects.filter(email_hash=address_hash).first()
    if subscriber is not None:
        unsubscribe(subscriber, source=source, client_network="")
