"""Rate limits counted on a real Redis: one round trip a count, django-ratelimit's keys, open
when Redis does not answer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django_ratelimit.core import is_ratelimited

from django.core.cache import cache

from ops import ratelimit
from tests.services import RedisServer

pytestmark = pytest.mark.services


@pytest.fixture
def redis_cache(redis_server: RedisServer, settings: Any) -> Iterator[RedisServer]:
    """The default cache on the test's own redis-server, as in production."""
    settings.CACHES = {
        "default": {
            "BACKEND": "pagecache.redis.ReusingRedisCache",
            "LOCATION": redis_server.url_for(1),
        }
    }
    yield redis_server


def redis_commands(client: Any) -> dict[str, int]:
    """How many times each command has run on the server since it started."""
    stats = client.info("commandstats")
    return {name.removeprefix("cmdstat_"): int(value["calls"]) for name, value in stats.items()}


def test_hit__limits_after_the_limit_each_key_on_its_own(redis_cache: RedisServer) -> None:
    assert [ratelimit.hit("test:ip", "192.0.2.1", 2, 3600) for _ in range(3)] == [
        False,
        False,
        True,
    ]
    assert ratelimit.hit("test:ip", "192.0.2.2", 2, 3600) is False
    assert ratelimit.hit("test:email", "192.0.2.1", 2, 3600) is False


def test_hit__counts_in_one_round_trip_with_an_expiry(redis_cache: RedisServer) -> None:
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    ratelimit.hit("test:ip", "192.0.2.1", 5, 3600)  # the connection is open from here on
    before = redis_commands(client)

    ratelimit.hit("test:ip", "192.0.2.1", 5, 3600)

    after = redis_commands(client)
    ran = {name: after[name] - before.get(name, 0) for name in after} | {"info": 0}
    # One script (EVALSHA): sent together, answered together.
    assert {name: calls for name, calls in ran.items() if calls} == {
        "evalsha": 1,
        "set": 1,
        "incr": 1,
    }
    (key,) = client.keys("*")
    assert 3600 < client.ttl(key) <= 3605  # the window, and django-ratelimit's margin


def test_hit__shares_django_ratelimits_count(redis_cache: RedisServer) -> None:
    """The same key and window as django-ratelimit: a deploy mid-window keeps its counts."""
    assert not is_ratelimited(
        None, group="test:ip", key=lambda *_: "192.0.2.1", rate=(2, 3600), increment=True
    )
    assert ratelimit.hit("test:ip", "192.0.2.1", 2, 3600) is False
    assert ratelimit.hit("test:ip", "192.0.2.1", 2, 3600) is True


def test_hit__lets_attempts_through_while_redis_is_down(
    redis_cache: RedisServer, settings: Any
) -> None:
    redis_cache.stop()
    settings.RATELIMIT_FAIL_OPEN = True
    assert ratelimit.hit("test:ip", "192.0.2.1", 0, 3600) is False
    settings.RATELIMIT_FAIL_OPEN = False
    assert ratelimit.hit("test:ip", "192.0.2.1", 0, 3600) is True


def test_first_exceeded__counts_each_limit_in_turn_in_one_round_trip(
    redis_cache: RedisServer,
) -> None:
    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    counts = [
        ratelimit.Count("test:ip", "192.0.2.1", 5, 3600),
        ratelimit.Count("test:email", "marie@example.fr", 1, 3600),
    ]
    assert ratelimit.first_exceeded(counts) is None
    before = redis_commands(client)

    assert ratelimit.first_exceeded(counts) == 1  # the address's limit: one an hour

    after = redis_commands(client)
    assert after["evalsha"] - before["evalsha"] == 1
    assert after["incr"] - before["incr"] == 2


def test_first_exceeded__a_client_over_its_limit_does_not_count_against_the_address(
    redis_cache: RedisServer,
) -> None:
    counts = [
        ratelimit.Count("test:ip", "192.0.2.1", 2, 3600),
        ratelimit.Count("test:email", "marie@example.fr", 3, 3600),
    ]
    assert [ratelimit.first_exceeded(counts) for _ in range(3)] == [None, None, 0]
    # The address was counted twice, not three times: its third attempt is still allowed.
    assert ratelimit.hit("test:email", "marie@example.fr", 3, 3600) is False


def test_first_exceeded__a_redis_that_forgot_the_script_is_given_it_again(
    redis_cache: RedisServer,
) -> None:
    assert ratelimit.hit("test:ip", "192.0.2.1", 1, 3600) is False
    cache._cache.get_client(write=True).script_flush()  # type: ignore[attr-defined]
    assert ratelimit.hit("test:ip", "192.0.2.1", 1, 3600) is True
