"""What the reminders do when something happens elsewhere (connected in ``apps.ready``)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from mailing.models import OutboxEmail
from registrations.models import Registration
from registrations.signals import registration_cancelled

from .models import EventReminderDelivery


@receiver(registration_cancelled, dispatch_uid="reminders.cancelled_registration")
def drop_queued_event_reminders(sender: Any, registration: Registration, **kwargs: Any) -> int:
    """A cancelled registration's reminders still in the outbox must not go out any more.

    Their ledger rows stay: the slot is done for that registration. Returns how many went.
    """
    deleted, _by_model = OutboxEmail.objects.filter(
        sent_at=None,
        pk__in=EventReminderDelivery.objects.filter(registration=registration).values("outbox_id"),
    ).delete()
    return deleted
