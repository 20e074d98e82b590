"""Registrations as personal data: a person's export and erasure, and automatic anonymisation.

The subscriptions' admin finds a person by their address hash, exports and erases them; this
module plugs the person's registrations into it through ``subscriptions.hooks`` (subscriptions
never imports registrations). Some months after an event ends (``REGISTRATIONS_RETENTION_MONTHS``)
a nightly task anonymises its attendees: the rows stay, with their status and check-in, so the
counts and attendance rates never change; the person is gone.
"""

from __future__ import annotations

import calendar
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wagtail import hooks

from mailing.models import OutboxEmail
from subscriptions.hooks import PERSON_DATA, PERSON_ERASURE

from .models import Registration
from .services import cancel

#: The outbox's kinds of email sent to a registrant (the shared design's list): the copies kept
#: in the outbox name the person, so they go with the person's details.
REGISTRANT_EMAIL_KINDS = (
    "registration_confirmed",
    "registration_waiting",
    "registration_promoted",
    "registration_duplicate",
    "registration_cancelled",
    "registration_reminder",
    "registrant_message",
)
#: Registrations anonymised per transaction: a night's backlog never holds a long lock.
ANONYMISE_BATCH = 500
#: What an anonymised row keeps in place of the address hash: matches no address.
ANONYMISED_HASH = ""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def export_registrations(address_hash: str) -> dict[str, Any]:
    """The person's registrations, for their export (``subscriptions.hooks.PERSON_DATA``)."""
    registrations = (
        Registration.objects.filter(address_hash=address_hash, anonymised_at__isnull=True)
        .select_related("event")
        .order_by("event__start", "pk")
    )
    return {
        "inscriptions_aux_evenements": [
            {
                "evenement": registration.event.title,
                "date": _iso(registration.event.start),
                "statut": registration.status,
                "nom": registration.name,
                "adresse": registration.email,
                "telephone": registration.phone,
                "reponses": [
                    {"question": answer.get("label"), "reponse": answer.get("answer")}
                    for answer in registration.answers or []
                ],
                "texte_de_consentement": registration.consent_text,
                "inscrit_le": _iso(registration.created_at),
                "place_obtenue_le": _iso(registration.confirmed_at),
                "en_attente_depuis": _iso(registration.waiting_since),
                "annulee_le": _iso(registration.cancelled_at),
                "present": registration.checked_in_at is not None,
                "presence_notee_le": _iso(registration.checked_in_at),
            }
            for registration in registrations
        ]
    }


def erase_registrations(address_hash: str, source: str) -> int:
    """Delete the person's registrations (``subscriptions.hooks.PERSON_ERASURE``); return how
    many. One still active for an event not over is cancelled first, through the same path as
    the person's own cancellation, so that its seat goes to the first person waiting."""
    registrations = Registration.objects.filter(
        address_hash=address_hash, anonymised_at__isnull=True
    ).select_related("event")
    now = timezone.now()
    erased = 0
    with transaction.atomic():
        for registration in registrations:
            active = registration.status != Registration.Status.CANCELLED
            if active and registration.event.end > now:
                cancel(registration)
            Registration.objects.filter(pk=registration.pk).delete()
            erased += 1
    return erased


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` less ``months`` calendar months (the 31st falls back to the month's last day)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def due_for_anonymisation(now: datetime | None = None) -> Any:
    """Registrations not yet anonymised of events that ended over the retention period ago."""
    cutoff = months_before(now or timezone.now(), settings.REGISTRATIONS_RETENTION_MONTHS)
    return Registration.objects.filter(anonymised_at__isnull=True, event__end__lt=cutoff)


def anonymise_past_registrations(now: datetime | None = None) -> int:
    """Anonymise the attendees of events past the retention period; return how many.

    Name, address, phone, answers and the consent text are emptied and the address hash
    replaced (the person can no longer be found or exported from these rows); status, dates and
    check-in stay, so the counts and attendance rates are unchanged. The copies of the emails
    sent to them about the event go too. Idempotent, in batches.
    """
    now = now or timezone.now()
    due = due_for_anonymisation(now).order_by("pk")
    anonymised = 0
    while True:
        with transaction.atomic():
            batch = list(
                due.select_for_update(skip_locked=True, of=("self",)).values_list(
                    "pk", "address_hash", "event__end"
                )[:ANONYMISE_BATCH]
            )
            if not batch:
                return anonymised
            for _pk, address_hash, event_end in batch:
                # Sent emails only: one still waiting is for a later event of the same person.
                OutboxEmail.objects.filter(
                    address_hash=address_hash,
                    kind__in=REGISTRANT_EMAIL_KINDS,
                    sent_at__isnull=False,
                    created_at__lte=event_end,
                ).delete()
            Registration.objects.filter(pk__in=[pk for pk, _hash, _end in batch]).update(
                name="",
                email="",
                phone="",
                answers=[],
                consent_text="",
                address_hash=ANONYMISED_HASH,
                anonymised_at=now,
            )
            anonymised += len(batch)


@hooks.register(PERSON_DATA)
def _person_data(address_hash: str) -> dict[str, Any]:
    return export_registrations(address_hash)


@hooks.register(PERSON_ERASURE)
def _person_erasure(address_hash: str, source: str) -> None:
    erase_registrations(address_hash, source)
