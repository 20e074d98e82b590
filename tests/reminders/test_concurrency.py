"""Two dispatchers at once, on real connections: every reminder is sent exactly once.

Each thread has its own database connection and its own transactions, as two Celery workers
would, on a freshly migrated database of the kind the suite runs on. On PostgreSQL concurrent
inserts of one ledger row wait on its unique index and all but one fail. On SQLite the database
is a file (pytest-django's in-memory one locks whole tables instead of waiting), where writers
wait for each other as in a local ``make run``. The same code runs either way; CI runs both.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import time_machine

from django.core import mail
from django.core.management import call_command
from django.db import connections

from programs.models import ContestPage
from reminders import dispatch
from reminders.models import ReminderDelivery, ReminderRun, ReminderRunQuerySet

from .fixtures import paris

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 40
OPENING = paris(2025, 3, 1, 9, 0)


@contextmanager
def scratch_database(original: Any, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Settings of a new, empty database of the same kind as ``original``; dropped afterwards."""
    if original.vendor == "sqlite":
        path = str(tmp_path / "threads.sqlite3")
        yield {**original.settings_dict, "NAME": path, "TEST": {"NAME": path}}
        return
    if original.vendor != "postgresql":
        pytest.fail(f"Base de données non prise en charge par ce test : {original.vendor}")
    name = f"{original.settings_dict['NAME']}_threads"[:63]
    with original._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**original.settings_dict, "NAME": name, "TEST": {"NAME": name}}
    finally:
        with original._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def thread_database(django_db_blocker: Any, tmp_path: Path) -> Iterator[Callable[[], None]]:
    """Point the test at a migrated database of its own; return what each thread calls first.

    Its own database, rather than the test database, keeps the test's committed rows away
    from the other tests, and on SQLite gives a file instead of shared memory.
    """
    original = connections["default"]

    with scratch_database(original, tmp_path) as config:

        def use_it() -> None:
            # Each thread its own connection (threads close theirs when done).
            connections["default"] = original.__class__(dict(config), alias="default")

        use_it()
        try:
            with django_db_blocker.unblock():
                call_command("migrate", verbosity=0, interactive=False)
            yield use_it
        finally:
            connections["default"].close()
            connections["default"] = original


def side_by_side(
    work: Callable[[], Any], thread_database: Callable[[], None], count: int = 2
) -> None:
    """Run ``work`` in ``count`` threads released at the same instant; re-raise any error."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run() -> None:
        thread_database()
        try:
            barrier.wait(timeout=30)
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "un répartiteur est resté bloqué"
    if errors:
        raise errors[0]


@pytest.fixture
def crowd(
    thread_database: Callable[[], None], aviva: ContestPage, topic_subscriber: Any
) -> list[str]:
    addresses = [f"personne{n}@example.fr" for n in range(PEOPLE)]
    for address in addresses:
        topic_subscriber(address)
    return addresses


def received() -> Counter[str]:
    return Counter(address for message in mail.outbox for address in message.to)


def test_two_beats_at_once__each_person_gets_the_reminder_once(
    thread_database: Callable[[], None], crowd: list[str], aviva: ContestPage
) -> None:
    with time_machine.travel(OPENING, tick=False):
        side_by_side(dispatch.dispatch_due_reminders, thread_database)

    assert received() == Counter(crowd)
    assert ReminderDelivery.objects.filter(contest=aviva, slot_key="ouverture").count() == PEOPLE
    assert ReminderRun.objects.get(contest=aviva).status == ReminderRun.Status.SENT


def test_two_workers_on_one_slot_whose_lease_ran_out__each_person_gets_it_once(
    thread_database: Callable[[], None],
    crowd: list[str],
    aviva: ContestPage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The worst case: the lease never holds (a worker slower than its lease), so both
    # workers send the same slot at once and only the ledger's unique constraint decides.
    monkeypatch.setattr(ReminderRunQuerySet, "claim", lambda self, pk: True)
    monkeypatch.setattr(dispatch, "CHUNK_SIZE", 7)
    run = ReminderRun.objects.create(
        contest=aviva, slot_key="ouverture", label="Ouverture", due_at=OPENING
    )
    ReminderRun.objects.filter(pk=run.pk).update(status=ReminderRun.Status.SENDING)

    with time_machine.travel(OPENING, tick=False):
        side_by_side(lambda: dispatch.send_run(run.pk), thread_database)

    assert received() == Counter(crowd)
    assert ReminderDelivery.objects.filter(contest=aviva).count() == PEOPLE
