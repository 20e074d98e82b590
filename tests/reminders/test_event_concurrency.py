"""Two event-reminder dispatchers at once, on real connections: one run, one email each.

The same harness as the contest reminders' (``test_concurrency``): each thread its own
connection to a freshly migrated database of the suite's kind.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
import time_machine

from django.core import mail

from programs.models import EventPage
from reminders import events
from reminders.models import EventReminderDelivery, EventReminderRun, RunQuerySet

from .event_fixtures import EVE, register
from .test_concurrency import side_by_side, thread_database  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 40


@pytest.fixture
def registered(
    thread_database: Callable[[], None],  # noqa: F811
    meeting: EventPage,
) -> list[str]:
    addresses = [f"personne{n}@example.fr" for n in range(PEOPLE)]
    for address in addresses:
        register(meeting, address)
    return addresses


def received() -> Counter[str]:
    return Counter(address for message in mail.outbox for address in message.to)


def test_two_beats_at_once__one_run_and_each_person_gets_the_reminder_once(
    thread_database: Callable[[], None],  # noqa: F811
    registered: list[str],
    meeting: EventPage,
) -> None:
    with time_machine.travel(EVE, tick=False):
        side_by_side(events.dispatch_due, thread_database)

    assert received() == Counter(registered)
    assert EventReminderRun.objects.filter(event=meeting).count() == 1
    assert EventReminderRun.objects.get(event=meeting).status == EventReminderRun.Status.SENT
    assert EventReminderDelivery.objects.count() == PEOPLE


def test_two_workers_whose_lease_ran_out__each_person_gets_it_once(
    thread_database: Callable[[], None],  # noqa: F811
    registered: list[str],
    meeting: EventPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The lease never holds: only the ledger's unique constraint decides.
    monkeypatch.setattr(RunQuerySet, "claim", lambda self, pk: True)
    monkeypatch.setattr(events, "CHUNK_SIZE", 7)
    run = EventReminderRun.objects.create(
        event=meeting, slot_key="veille", label="La veille", due_at=EVE, status="sending"
    )

    with time_machine.travel(EVE, tick=False):
        side_by_side(lambda: events.send_run(run.pk), thread_database)

    assert received() == Counter(registered)
    assert EventReminderDelivery.objects.count() == PEOPLE
