"""An organiser's email to every active registrant of an event, mailed exactly once each.

``start_message`` records the message and queues ``send_registrant_message`` after commit.
The task works in batches: each batch, under a lock on the message row, inserts one
``RegistrantMessageDelivery`` per registration with its outbox email in the same transaction,
so a worker killed mid-batch leaves nothing of that batch, and a second run (the task
re-delivered, or the beat sweep) finds the ledger and mails only those still missing.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from django.db import transaction
from django.utils import timezone

from mailing.outbox import queue_email
from ops.queueing import queue_after_commit
from programs.models import EventPage

from .emails import render_registration_email
from .models import RegistrantMessage, RegistrantMessageDelivery, Registration

KIND = "registrant_message"
BATCH_SIZE = 100


def start_message(event: EventPage, *, subject: str, body: str, user: Any) -> RegistrantMessage:
    """Record the message and have it sent once the transaction commits."""
    with transaction.atomic():
        message = RegistrantMessage.objects.create(
            event=event, subject=subject, body=body, created_by=user
        )
        queue_after_commit(send_registrant_message, message.pk)
    return message


def recipients(message: RegistrantMessage) -> Any:
    """Active registrations of the event not yet sent this message, in a stable order."""
    return (
        Registration.objects.filter(event_id=message.event_id, anonymised_at__isnull=True)
        .active()
        .exclude(message_deliveries__message=message)
        .order_by("pk")
    )


def send_pending(message_id: int, batch_size: int = BATCH_SIZE) -> int:
    """Queue the message's emails still missing; return how many this call queued."""
    queued = 0
    event: EventPage | None = None
    while True:
        with transaction.atomic():
            # Two runs of the same message (a re-delivered task and the beat sweep) take
            # turns on this row: neither inserts a delivery the other is inserting.
            message = RegistrantMessage.objects.select_for_update().filter(pk=message_id).first()
            if message is None or message.finished_at is not None:
                return queued
            if event is None:
                event = EventPage.objects.get(pk=message.event_id)
            batch = list(recipients(message)[:batch_size])
            if not batch:
                message.finished_at = timezone.now()
                message.save(update_fields=["finished_at"])
                return queued
            for registration in batch:
                registration.event = event  # loaded once for the whole message
                email = queue_email(
                    render_registration_email(
                        registration, "message", kind=KIND, with_calendar=False, message=message
                    )
                )
                RegistrantMessageDelivery.objects.create(
                    message=message, registration=registration, outbox_email=email
                )
            queued += len(batch)


@shared_task(name="registrations.messages.send_registrant_message")
def send_registrant_message(message_id: int) -> int:
    return send_pending(message_id)


@shared_task(name="registrations.messages.resume_registrant_messages")
def resume_registrant_messages() -> int:
    """Beat's sweep: finish any message whose task never ran or died half-way."""
    unfinished = RegistrantMessage.objects.filter(finished_at__isnull=True).values_list(
        "pk", flat=True
    )
    return sum(send_pending(message_id) for message_id in list(unfinished))
