"""The last seat taken by two people at the same moment: one gets it, the other waits.

On PostgreSQL, two processes (two real sessions, as two web workers) register at once while
the test holds the event's desk row: both must queue on that lock (the test sees them waiting
in ``pg_stat_activity``), so whoever counts second sees the seat taken. Without the lock both
would count one free seat and both be confirmed. On the suite's own database (SQLite in the
unit pass, PostgreSQL in the other), two threads with their own connections race the same way
from an event without a desk row yet, so its creation is raced too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from django.db import connection, transaction

from programs.models import EventPage
from registrations import services
from registrations.models import Registration, RegistrationDesk
from tests.factories.pages import home_page as default_home_page
from tests.factories.programs import EventIndexPageFactory, EventPageFactory
from tests.reminders.test_concurrency import side_by_side, thread_database  # noqa: F401
from tests.services import REPO_ROOT, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

Status = Registration.Status


def make_event(capacity: int) -> EventPage:
    agenda = EventIndexPageFactory(parent=default_home_page())
    return EventPageFactory(
        parent=agenda, registration_open=True, capacity=capacity, waiting_list=True
    )


def start_racer(database_url: str, event: EventPage, address: str, go: Path) -> Any:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "tests.registrations.race", str(event.pk), address, str(go)],
        cwd=REPO_ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def lock_waiters() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps its first view of the activity: drop it.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.services
def test_last_seat__two_postgresql_processes_at_once__one_confirmed_one_waiting(
    postgres_worker_database: str, tmp_path: Path
) -> None:
    event = make_event(capacity=2)
    services.register(event, name="Déjà là", email="first@example.fr")
    go = tmp_path / "go"
    racers = [
        start_racer(postgres_worker_database, event, address, go)
        for address in ("a@example.fr", "b@example.fr")
    ]
    try:
        with transaction.atomic():
            RegistrationDesk.objects.select_for_update().get(event=event)
            go.touch()
            # Both must end up queued behind this lock; without it they would finish at once.
            wait_for(
                lambda: lock_waiters() == 2 or all(r.poll() is not None for r in racers),
                "deux inscriptions en attente du verrou",
                timeout=120,
            )
            assert lock_waiters() == 2, "les inscriptions n'ont pas attendu le verrou du guichet"
        outputs = [racer.communicate(timeout=120) for racer in racers]
    finally:
        for racer in racers:
            if racer.poll() is None:
                racer.kill()
                racer.wait()
    for racer, (_stdout, stderr) in zip(racers, outputs, strict=True):
        assert racer.returncode == 0, stderr
    statuses = sorted(json.loads(out.strip().splitlines()[-1])["status"] for out, _ in outputs)

    assert statuses == ["confirmed", "waiting"]
    assert Registration.objects.filter(event=event).confirmed().count() == 2
    assert Registration.objects.filter(event=event).waiting().count() == 1


def test_last_seat__two_threads_at_once__one_confirmed_one_waiting(
    thread_database: Callable[[], None],  # noqa: F811
) -> None:
    event = make_event(capacity=1)
    outcomes: list[str] = []
    addresses = iter(["a@example.fr", "b@example.fr"])

    def register() -> None:
        address = next(addresses)
        outcomes.append(services.register(event, name=address, email=address).status)

    side_by_side(register, thread_database)

    assert sorted(outcomes) == ["confirmed", "waiting"]
    assert Registration.objects.filter(event=event).confirmed().count() == 1
    assert RegistrationDesk.objects.filter(event=event).count() == 1
