"""An organiser's message sent by a real Celery worker over our own Redis and SMTP sink:
one email each, and a second run of the task (re-delivered) or the beat sweep adds none."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest

from wagtail.models import Site

from home.models import HomePage
from programs.models import EventPage
from registrations.messages import send_registrant_message, start_message
from registrations.models import RegistrantMessage
from tests.services import CeleryWorker, SmtpInbox, wait_for

from .organisers import *  # noqa: F403 - fixtures

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REGISTRANTS = 40
WORKER_SETTINGS = {
    "CELERY_BEAT_SCHEDULE": {
        "drain": {"task": "newsletters.tasks.drain_outbox", "schedule": 1.0},
        "resume": {"task": "registrations.messages.resume_registrant_messages", "schedule": 1.0},
    },
}


@pytest.fixture
def home_page(worker_database: str) -> HomePage:
    """The home page, read from the database the worker also uses."""
    return Site.objects.get(is_default_site=True).root_page.specific


def subjects_per_address(inbox: SmtpInbox, subject: str) -> Counter[str]:
    with inbox.lock:
        return Counter(
            message["To"]
            for message in inbox.messages
            if str(make_header(decode_header(message["Subject"]))) == subject
        )


def runs_of(log: Path, task: str) -> int:
    return len(re.findall(rf"Task {re.escape(task)}\[[\w-]+\] succeeded", log.read_text()))


def test_a_real_worker_mails_each_registrant_once_even_when_the_task_runs_again(
    training: EventPage,
    register: Callable,
    communication: Any,
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
) -> None:
    inbox, _ = smtp_inbox
    people = [
        register(training, f"Personne {index:02d}", f"p{index}@example.fr")
        for index in range(REGISTRANTS)
    ]
    worker = worker_factory(settings=WORKER_SETTINGS)

    message = start_message(training, subject="Salle changée", body="Salle B.", user=communication)
    # A message whose task never reached the broker: beat's sweep sends it.
    orphan = RegistrantMessage.objects.create(event=training, subject="Parking", body="Au fond.")

    expected = {person.email for person in people}
    for subject in ("Salle changée", "Parking"):
        wait_for(
            lambda subject=subject: set(subjects_per_address(inbox, subject)) == expected,
            f"les courriels « {subject} »",
        )
    # The task delivered again (as after a worker lost before its ack): it finds the ledger.
    send_registrant_message.delay(message.pk)
    name = "registrations.messages.send_registrant_message"
    wait_for(lambda: runs_of(worker.log, name) >= 2, "la seconde exécution de la tâche")
    wait_for(
        lambda: RegistrantMessage.objects.filter(finished_at__isnull=True).count() == 0,
        "la fin des envois",
    )

    for subject in ("Salle changée", "Parking"):
        assert set(subjects_per_address(inbox, subject).values()) == {1}
    assert message.deliveries.count() == orphan.deliveries.count() == REGISTRANTS
