"""Celery keeps the database connection between tasks, and drops one that is no longer good."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from django.db import connection

from config.celery import _drop_broken_database_connections, app

pytestmark = pytest.mark.django_db(transaction=True)

A_TASK = SimpleNamespace(request=SimpleNamespace())
AN_EAGER_TASK = SimpleNamespace(request=SimpleNamespace(is_eager=True))


@pytest.fixture
def closes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each close of the default connection, recorded (an in-memory SQLite one ignores it)."""
    calls: list[bool] = []
    close = connection.close

    def recording_close() -> None:
        calls.append(True)
        close()

    monkeypatch.setattr(connection, "close", recording_close)
    connection.ensure_connection()
    return calls


def test_celery_is_told_to_keep_the_connection_between_tasks() -> None:
    # Without it, Celery's Django fixup closes the connection before and after every task.
    assert app.conf.get("CELERY_DB_REUSE_MAX", None)


def test_before_a_task__a_connection_past_conn_max_age_is_closed(closes: list[bool]) -> None:
    connection.close_at = time.monotonic() - 1

    _drop_broken_database_connections(task=A_TASK)

    assert closes == [True]


def test_before_a_task__a_good_connection_is_kept(closes: list[bool]) -> None:
    connection.close_at = None

    _drop_broken_database_connections(task=A_TASK)

    assert closes == []


def test_an_eager_task__leaves_its_callers_connection_alone(closes: list[bool]) -> None:
    connection.close_at = time.monotonic() - 1

    _drop_broken_database_connections(task=AN_EAGER_TASK)

    assert closes == []
