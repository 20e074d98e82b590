"""Registrations made directly with the model, for the privacy and demo tests."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from mailing.addresses import address_hash
from programs.models import EventPage
from registrations.models import Registration


def registration(
    event: EventPage,
    email: str,
    status: str = Registration.Status.CONFIRMED,
    **fields: Any,
) -> Registration:
    """A registration as the public form leaves it (hash, consent, timestamps of its status)."""
    now = timezone.now()
    stamps: dict[str, Any] = (
        {"confirmed_at": now}
        if status == Registration.Status.CONFIRMED
        else {"waiting_since": now}
        if status == Registration.Status.WAITING
        else {"cancelled_at": now}
    )
    return Registration.objects.create(
        **{
            "event": event,
            "status": status,
            "name": email.split("@")[0].capitalize(),
            "email": email,
            "address_hash": address_hash(email),
            "consent_text": "J'accepte que mes données servent à organiser l'événement.",
            **stamps,
            **fields,
        }
    )
