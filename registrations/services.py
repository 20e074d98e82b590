"""Registering, cancelling, and counting the seats of an event.

Every change of an event's seats happens in one transaction that first locks the event's
``RegistrationDesk`` row (``select_for_update``; on SQLite the IMMEDIATE transactions serialise
writers anyway): the seats are counted and the registration written under that lock, so the
last seat goes to one person only. The emails are written to the outbox in the same
transaction, and the page cache's tag of the event's seats is bumped after the commit.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mailing.addresses import address_hash, normalise_address
from ops import ratelimit
from pagecache import bump, record, valid_until
from programs.models import EventPage

from .emails import queue_registration_email
from .models import Registration, RegistrationDesk
from .signals import registration_cancelled

Status = Registration.Status

#: "Already registered" emails to one address for one event, an hour: a form anyone can fill
#: in must not become a way to flood someone's inbox.
DUPLICATE_EMAILS_PER_HOUR = 3


def seats_tag(event_id: int) -> str:
    """The page cache's tag of an event's seat count: bumped by every registration change."""
    return f"registrations:event:{event_id}"


class State(enum.Enum):
    """Why an event takes registrations or not, with what the visitor reads."""

    OPEN = "open"
    WAITING_LIST = "waiting_list"  # full, the waiting list takes new people
    NOT_OPEN = "not_open"  # the organisers do not take registrations on the site
    UNPUBLISHED = "unpublished"  # unpublished (cancelled) or deleted
    DEADLINE_PASSED = "deadline_passed"
    FULL = "full"  # full and no waiting list
    STARTED = "started"
    PAST = "past"

    @property
    def is_open(self) -> bool:
        return self in (State.OPEN, State.WAITING_LIST)

    @property
    def message(self) -> str:
        return str(MESSAGES[self])


MESSAGES = {
    State.OPEN: _("Inscriptions ouvertes"),
    State.WAITING_LIST: _("Complet — liste d'attente ouverte"),
    State.NOT_OPEN: _("Les inscriptions à cet événement ne se font pas sur ce site."),
    State.UNPUBLISHED: _("Cet événement a été annulé ou n'est plus en ligne."),
    State.DEADLINE_PASSED: _("Inscriptions closes : la date limite d'inscription est passée."),
    State.FULL: _("Inscriptions closes : l'événement est complet."),
    State.STARTED: _("Inscriptions closes : l'événement a commencé."),
    State.PAST: _("Inscriptions closes : cet événement est passé."),
}


@dataclass(frozen=True)
class Outcome:
    """What ``register`` did.

    ``status``: "confirmed", "waiting", "duplicate" (the address was already registered: the
    registration is theirs, unchanged) or "closed" (``state`` says why; no registration).
    ``page_status`` and ``page_position`` are what the visitor's page says: for a duplicate,
    what a first registration would have said at that moment, so that the page tells a third
    party nothing (the email to the address tells its owner).
    """

    status: str
    registration: Registration | None = None
    position: int | None = None
    state: State = State.OPEN
    page_status: str = ""
    page_position: int | None = None


def seats_left(event: EventPage) -> int | None:
    """Seats not taken by a confirmed registration; None when the seats are not limited."""
    if event.capacity is None:
        return None
    taken = Registration.objects.filter(event=event).confirmed().count()
    return max(0, event.capacity - taken)


def _state(event: EventPage, now: datetime, left: int | None) -> State:
    if not event.live:
        return State.UNPUBLISHED
    if event.end <= now:
        return State.PAST
    if event.start <= now:
        return State.STARTED
    if not event.registration_open:
        return State.NOT_OPEN
    if event.registration_deadline is not None and event.registration_deadline <= now:
        return State.DEADLINE_PASSED
    if left == 0:
        return State.WAITING_LIST if event.waiting_list else State.FULL
    return State.OPEN


def state_and_seats(event: EventPage, now: datetime | None = None) -> tuple[State, int | None]:
    """``registration_state`` and, while registration is open, ``seats_left`` (one query)."""
    now = now or timezone.now()
    # Cheap reasons first: a closed event needs no count.
    early = _state(event, now, None)
    if early is not State.OPEN:
        return early, None
    left = seats_left(event)
    return _state(event, now, left), left


def registration_state(event: EventPage, now: datetime | None = None) -> State:
    """Whether ``event`` takes registrations now, and why not (one count query at most)."""
    return state_and_seats(event, now)[0]


def record_seats(event: EventPage) -> None:
    """The response being rendered shows ``event``'s seats or registration state: keep it in
    the page cache until they change, the deadline passes or the event starts."""
    record(seats_tag(event.pk))
    for moment in (event.registration_deadline, event.start, event.end):
        if moment is not None and moment > timezone.now():
            valid_until(moment)


def _lock_desk(event: EventPage) -> None:
    """Lock the event's desk row until the transaction ends (creating it the first time).

    Two first registrations at once both try to insert it: one waits on the primary key until
    the other commits, then get_or_create finds and locks the row.
    """
    RegistrationDesk.objects.select_for_update().get_or_create(event=event)


def _waiting_position(registration: Registration) -> int:
    earlier = (
        Registration.objects.filter(event_id=registration.event_id)
        .waiting()
        .filter(waiting_since__lte=registration.waiting_since)
        .exclude(waiting_since=registration.waiting_since, pk__gt=registration.pk)
    )
    return earlier.count()


def waiting_position(registration: Registration) -> int | None:
    """A waiting registration's place in the line (1 is next), else None."""
    if registration.status != Status.WAITING:
        return None
    return _waiting_position(registration)


def _after_change(event: EventPage) -> None:
    bump(seats_tag(event.pk))


def register(
    event: EventPage,
    *,
    name: str,
    email: str,
    phone: str = "",
    answers: Iterable[dict[str, Any]] = (),
    consent_text: str = "",
    now: datetime | None = None,
) -> Outcome:
    """Register ``email`` for ``event``: a seat, the waiting list, or why not.

    Raises ``django.core.exceptions.ValidationError`` (French) for an invalid address.
    """
    address = normalise_address(email)
    hashed = address_hash(address)
    with transaction.atomic():
        _lock_desk(event)
        now = now or timezone.now()
        left = seats_left(event)
        state = _state(event, now, left)
        if not state.is_open:
            return Outcome("closed", state=state)
        # What a first registration gets now: shown to a duplicate too.
        page_status = "waiting" if state is State.WAITING_LIST else "confirmed"
        existing = (
            Registration.objects.select_for_update()
            .filter(event=event, address_hash=hashed, anonymised_at__isnull=True)
            .first()
        )
        page_position = None
        if page_status == "waiting":
            page_position = Registration.objects.filter(event=event).waiting().count() + 1
        if existing is not None and existing.status != Status.CANCELLED:
            position = waiting_position(existing)
            if not ratelimit.hit(
                "registrations:duplicate", f"{event.pk}:{hashed}", DUPLICATE_EMAILS_PER_HOUR, 3600
            ):
                queue_registration_email(
                    existing, "duplicate", kind="registration_duplicate", position=position
                )
            return Outcome(
                "duplicate",
                existing,
                position,
                state,
                page_status=page_status,
                page_position=page_position,
            )
        registration = existing or Registration(event=event, address_hash=hashed)
        registration.name = name.strip()
        registration.email = address
        registration.phone = phone.strip()
        registration.answers = list(answers)
        registration.consent_text = str(consent_text)
        registration.status = Status(page_status)
        registration.confirmed_at = now if page_status == "confirmed" else None
        registration.waiting_since = now if page_status == "waiting" else None
        registration.promoted_at = None
        registration.cancelled_at = None
        registration.checked_in_at = None
        registration.checked_in_by = None
        registration.save()
        position = waiting_position(registration)
        queue_registration_email(
            registration, page_status, kind=f"registration_{page_status}", position=position
        )
        _after_change(event)
    return Outcome(
        page_status,
        registration,
        position,
        state,
        page_status=page_status,
        page_position=position,
    )


def promotion_cutoff(event: EventPage) -> datetime:
    """From this moment on a freed seat is simply free: nobody is promoted (or emailed)."""
    return event.start - timedelta(hours=settings.REGISTRATIONS_PROMOTION_CUTOFF_HOURS)


def _promote(event: EventPage, now: datetime) -> list[Registration]:
    """Give the free seats to the first people waiting, while it is not too late."""
    if event.capacity is None or now >= promotion_cutoff(event) or not event.live:
        return []
    free = seats_left(event) or 0
    if free <= 0:
        return []
    promoted = list(Registration.objects.filter(event=event).waiting().select_for_update()[:free])
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.confirmed_at = now
        registration.promoted_at = now
        registration.save(update_fields=["status", "confirmed_at", "promoted_at"])
        queue_registration_email(registration, "promoted", kind="registration_promoted")
    return promoted


def cancel(registration: Registration, now: datetime | None = None) -> Registration | None:
    """Cancel ``registration`` (emailed once) and give its seat to the first person waiting.

    Returns the promoted registration, if any. Cancelling a cancelled registration does
    nothing. ``registration_cancelled`` is sent inside the transaction, so that what its
    receivers write commits (or not) with the cancellation.
    """
    event = registration.event
    with transaction.atomic():
        _lock_desk(event)
        now = now or timezone.now()
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        if current.status == Status.CANCELLED:
            return None
        current.status = Status.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        registration.status, registration.cancelled_at = current.status, current.cancelled_at
        queue_registration_email(current, "cancelled", kind="registration_cancelled")
        promoted = _promote(event, now)
        registration_cancelled.send(sender=Registration, registration=current)
        _after_change(event)
    return promoted[0] if promoted else None
