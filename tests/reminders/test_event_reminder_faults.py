"""An event's reminder with real services: a SIGKILLed worker loses nobody, doubles nobody.

A real Celery worker (with embedded beat, every second) over a redis-server of its own, an
aiosmtpd server in this process that counts what it accepts, and a copy of the test database
shared by the test and the worker (``tests.services``). The worker is killed in the middle of a
run, between two registrants' transactions; once started again, the run is handed out when its
(short) lease runs out, and each registrant gets exactly one reminder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

import pytest

from django.utils import timezone

from wagtail.models import Site

from mailing.addresses import address_hash
from programs.models import EventPage
from registrations.models import Registration
from reminders.models import EventReminderDelivery, EventReminderRun
from tests.newsletters.issues import assert_exactly_one_each
from tests.services import CeleryWorker, SmtpInbox, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PEOPLE = 500
EVERY_SECOND = {
    "events": {"task": "reminders.dispatch_event_reminders", "schedule": 1.0},
    "outbox": {"task": "newsletters.tasks.drain_outbox", "schedule": 1.0},
}
FAST_RECOVERY = {
    "REMINDERS_RUN_LEASE_SECONDS": 3,
    # The day before at midnight: the slot of an event starting in two hours is due now,
    # whatever the hour the test runs at.
    "REMINDERS_EVENT_EVE_TIME": "00:00",
    "CELERY_BROKER_TRANSPORT_OPTIONS": {"visibility_timeout": 4},
    "CELERY_BEAT_SCHEDULE": EVERY_SECOND,
}


@pytest.fixture
def home_page(worker_database: str) -> Any:
    """The home page, read from the database the worker also uses."""
    return Site.objects.get(is_default_site=True).root_page.specific


def beat_rounds(worker: CeleryWorker) -> int:
    """How many times the worker's beat has sent the event-reminder round."""
    return worker.log.read_text(errors="replace").count(
        "Sending due task events (reminders.dispatch_event_reminders)"
    )


def delivered(event: EventPage) -> int:
    return EventReminderDelivery.objects.filter(registration__event=event).count()


def test_worker_killed_mid_run__each_registrant_gets_the_reminder_once(
    home_page: Any,
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
    make_event: Callable[..., EventPage],
) -> None:
    inbox, _port = smtp_inbox
    now = timezone.now()
    event = make_event(start=now + timedelta(hours=2), title="Atelier financement")
    seated = now - timedelta(days=3)
    people = Registration.objects.bulk_create(
        Registration(
            event=event,
            status=Registration.Status.CONFIRMED,
            name=f"Personne {n}",
            email=f"personne{n}@example.fr",
            address_hash=address_hash(f"personne{n}@example.fr"),
            confirmed_at=seated,
        )
        for n in range(PEOPLE)
    )
    Registration.objects.filter(event=event).update(created_at=seated)
    worker = worker_factory(settings=FAST_RECOVERY)

    # A quarter of the ledger is written: the worker is inside the run (the solo pool runs
    # nothing else meanwhile, so no outbox email is in flight).
    wait_for(lambda: delivered(event) >= PEOPLE // 4, "le quart des rappels")
    worker.kill()  # SIGKILL to the whole process group: no cleanup, no ack
    assert PEOPLE // 4 <= delivered(event) < PEOPLE, "le worker a fini avant d'être tué"
    assert EventReminderRun.objects.get(event=event).status == EventReminderRun.Status.SENDING

    worker.start()

    wait_for(lambda: len(inbox.messages) >= PEOPLE, "tous les rappels", timeout=240)
    wait_for(
        lambda: EventReminderRun.objects.get(event=event).status == EventReminderRun.Status.SENT,
        "la fin de l'envoi",
    )
    # A few more beats and outbox drains: nothing else leaves.
    rounds = beat_rounds(worker)
    wait_for(lambda: beat_rounds(worker) >= rounds + 3, "trois rondes de plus")
    assert_exactly_one_each(inbox, cast(Any, people))
    assert delivered(event) == PEOPLE
    assert len(inbox.messages) == PEOPLE
