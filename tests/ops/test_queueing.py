"""ops.queueing: tasks are queued once the transaction commits, and a down broker never raises."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from celery import Celery
from kombu.exceptions import OperationalError

from django.db import transaction

from ops.queueing import queue, queue_after_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded() -> tuple[Any, list[tuple[Any, ...]]]:
    """A task of an eager Celery app of its own, and the arguments of each run."""
    app = Celery("recorded", set_as_current=False)
    app.conf.task_always_eager = True
    runs: list[tuple[Any, ...]] = []

    @app.task(name="tests.ops.recorded")
    def record(*args: Any) -> None:
        runs.append(args)

    return record, runs


@pytest.fixture
def unreachable() -> Any:
    """A task whose broker refuses connections: nothing listens on port 1."""
    app = Celery("unreachable", broker="redis://127.0.0.1:1/0", set_as_current=False)
    app.conf.task_always_eager = False
    app.conf.broker_connection_timeout = 2

    @app.task(name="tests.ops.unreachable")
    def nothing(*args: Any) -> None:
        raise AssertionError("never runs: the broker is down")

    return nothing


def test_queue_after_commit__queues_only_once_the_transaction_commits(
    recorded: Any, django_capture_on_commit_callbacks: Any
) -> None:
    task, runs = recorded
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue_after_commit(task, 7, "a")
        assert runs == []  # a worker would not yet see the rows the task is about
    assert runs == [(7, "a")]


def test_queue_after_commit__a_rolled_back_transaction_queues_nothing(
    recorded: Any, django_capture_on_commit_callbacks: Any
) -> None:
    task, runs = recorded
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue_after_commit(task, 7)
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert runs == []


def test_queue__broker_refusing_connections__logged_returns_false_and_raises_nothing(
    unreachable: Any, caplog: pytest.LogCaptureFixture
) -> None:
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="ops.queueing"):
        assert queue(unreachable, 42) is False

    assert time.monotonic() - started < 10  # one refused connection, no retry loop
    [record] = [r for r in caplog.records if r.name == "ops.queueing"]
    assert "tests.ops.unreachable" in record.getMessage()
    assert "(42,)" in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], OperationalError)


def test_queue_after_commit__broker_down_at_commit_does_not_fail_the_commit(
    unreachable: Any, django_capture_on_commit_callbacks: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="ops.queueing"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        queue_after_commit(unreachable, 42)
    assert len(callbacks) == 1
    assert any(r.name == "ops.queueing" for r in caplog.records)
