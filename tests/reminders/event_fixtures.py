"""Fixtures of the event-reminder tests: an event people registered for, and a controlled clock.

"Réunion d'information" on Thursday 13 March 2025 from 10:00 to 12:00 (Marseille): its
day-before reminder falls on Wednesday 12 March at 18:00, its morning one (when the page asks
for it) on the 13th at 08:00.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine

from django.core import mail

from mailing.addresses import address_hash
from mailing.outbox import drain_outbox
from programs.models import EventIndexPage, EventPage
from registrations import services
from registrations.models import Registration
from reminders.tasks import dispatch_event_reminders
from tests.factories.programs import EventIndexPageFactory, EventPageFactory

from .fixtures import paris

START = paris(2025, 3, 13, 10, 0)
EVE = paris(2025, 3, 12, 18, 0)
MORNING = paris(2025, 3, 13, 8, 0)
#: When the people of these tests registered, unless a test says otherwise.
REGISTERED = paris(2025, 3, 1, 12, 0)


@pytest.fixture
def event_index(home_page: Any) -> EventIndexPage:
    return EventIndexPageFactory(parent=home_page)


@pytest.fixture
def make_event(event_index: EventIndexPage) -> Callable[..., EventPage]:
    """A live event open to registration on the site, on 13 March 2025 at 10:00 by default."""

    def make(start: datetime = START, **fields: Any) -> EventPage:
        return EventPageFactory(
            parent=event_index,
            start=start,
            end=start + timedelta(hours=2),
            registration_open=True,
            capacity=30,
            street_address="12 rue des Forges",
            postal_code="13015",
            city="Marseille",
            **fields,
        )

    return make


@pytest.fixture
def meeting(make_event: Callable[..., EventPage]) -> EventPage:
    return make_event(title="Réunion d'information", slug="reunion-d-information")


def register(
    event: EventPage,
    email: str,
    *,
    status: str = Registration.Status.CONFIRMED,
    at: datetime = REGISTERED,
    name: str = "",
) -> Registration:
    """A registration as the registrations' services would leave it, made at ``at``."""
    with time_machine.travel(at, tick=False):
        return Registration.objects.create(
            event=event,
            status=status,
            name=name or email.split("@")[0].capitalize(),
            email=email,
            address_hash=address_hash(email),
            confirmed_at=at if status == Registration.Status.CONFIRMED else None,
            waiting_since=at if status == Registration.Status.WAITING else None,
            cancelled_at=at if status == Registration.Status.CANCELLED else None,
        )


def promote(registration: Registration, at: datetime) -> None:
    """What a cancellation does to the first person waiting: they get the seat at ``at``."""
    registration.status = Registration.Status.CONFIRMED
    registration.confirmed_at = registration.promoted_at = at
    registration.save(update_fields=["status", "confirmed_at", "promoted_at"])


def cancel(registration: Registration) -> None:
    """The cancellation link's POST: the registrations' own service, and its signal."""
    services.cancel(registration)


@pytest.fixture
def event_beat(django_capture_on_commit_callbacks: Any) -> Callable[[datetime], list[Any]]:
    """Run the event-reminder beat at ``moment`` (frozen clock); return the emails sent then."""

    def run(moment: datetime) -> list[Any]:
        # What earlier steps queued (a cancellation's confirmation) has left by then: their
        # on-commit drain never runs inside the test's transaction, and the beat's would send it.
        drain_outbox()
        before = len(mail.outbox)
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            dispatch_event_reminders()
        return mail.outbox[before:]

    return run
