"""ops.queueing.queue_unless_pending: one message until the task starts, on a real Redis.

The flag lives in the broker's Redis (the test's own redis-server); the messages are counted
in the broker's queue, where a worker would find them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis
from celery import Celery

from ops.queueing import pending_key, queue_unless_pending, task_started
from tests.services import RedisServer, wait_for

pytestmark = pytest.mark.services

TTL = 60.0


@pytest.fixture
def broker(redis_server: RedisServer) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_server.url)
    yield client
    client.close()


@pytest.fixture
def drain(redis_server: RedisServer) -> Any:
    """A task of a Celery app of its own whose broker is the test's redis-server."""
    app = Celery("pending", broker=redis_server.url, set_as_current=False)
    app.conf.task_always_eager = False

    @app.task(name=f"tests.ops.drain.{redis_server.port}")  # one name per app
    def drain_task() -> None:
        raise AssertionError("never runs: no worker")

    yield drain_task
    app.pool.force_close_all()


def queued(broker: redis.Redis) -> int:
    return int(broker.llen("celery"))


def test_a_burst__queues_one_message_until_the_task_starts(drain: Any, broker: redis.Redis) -> None:
    assert [queue_unless_pending(drain, ttl=TTL) for _ in range(5)] == [True] + [False] * 4
    assert queued(broker) == 1

    task_started(drain)  # from here on, a new record is not seen by the running task
    assert queue_unless_pending(drain, ttl=TTL) is True
    assert queue_unless_pending(drain, ttl=TTL) is False
    assert queued(broker) == 2


def test_the_flag_expires__a_message_lost_holds_back_later_calls_for_the_ttl_at_most(
    drain: Any, broker: redis.Redis
) -> None:
    assert queue_unless_pending(drain, ttl=0.5) is True
    broker.delete("celery")  # the message lost, its flag kept (a worker killed after fetching it)
    assert queue_unless_pending(drain, ttl=0.5) is False

    wait_for(lambda: not broker.exists(pending_key(drain)), "l'expiration du drapeau", timeout=5)
    assert queue_unless_pending(drain, ttl=0.5) is True
    assert queued(broker) == 1


def test_redis_restarted_empty__the_flag_is_lost_with_the_message_and_the_next_call_queues(
    drain: Any, broker: redis.Redis, redis_server: RedisServer
) -> None:
    assert queue_unless_pending(drain, ttl=TTL) is True
    redis_server.stop()
    assert queue_unless_pending(drain, ttl=TTL) is False  # broker down: logged, not raised
    redis_server.start()
    assert queued(broker) == 0

    assert queue_unless_pending(drain, ttl=TTL) is True
    assert queued(broker) == 1


def test_a_message_that_never_left__leaves_no_flag_behind(
    drain: Any, broker: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: Any, **kwargs: Any) -> None:
        raise OSError("connexion refusée")  # as a broker that drops the publish

    monkeypatch.setattr(drain, "apply_async", refused)
    assert queue_unless_pending(drain, ttl=TTL) is False
    assert not broker.exists(pending_key(drain))
    monkeypatch.undo()

    assert queue_unless_pending(drain, ttl=TTL) is True
    assert queued(broker) == 1
