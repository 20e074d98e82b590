"""Demo subscribers, called by the newsletters' demo (``load_demo``); idempotent."""

from __future__ import annotations

from typing import Protocol

from django.db import transaction
from django.utils import timezone

from mailing.addresses import address_hash

from .models import ConsentEvent, Subscriber, Topic
from .services import record_event

DEMO_SUBSCRIBERS = 12


class DemoCounts(Protocol):
    """What the demo loader counts (``DemoReport``)."""

    created: int
    existing: int


def load_demo_subscribers(topic: Topic, report: DemoCounts) -> None:
    """Confirmed demo subscribers of ``topic``, as if imported with their consent."""
    with transaction.atomic():
        for number in range(1, DEMO_SUBSCRIBERS + 1):
            email = f"lecteur{number}@example.org"
            email_hash = address_hash(email)
            subscriber, created = Subscriber.objects.get_or_create(
                email_hash=email_hash,
                defaults={
                    "email": email,
                    "status": Subscriber.Status.CONFIRMED,
                    "source": "démo",
                    "confirmed_at": timezone.now(),
                },
            )
            if not created:
                report.existing += 1
                continue
            subscriber.topics.add(topic)
            record_event(ConsentEvent.Kind.IMPORT, email_hash, topics=[topic], source="démo")
            report.created += 1
