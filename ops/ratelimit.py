"""Fixed-window rate limits counted by django-ratelimit in the Django cache (Redis in production).

Shared by every public form that sends an email: the newsletter sign-up, the contest
reminders, the admin's password reset.

On Redis, the counts of one request are one round trip whatever their number: a Lua script
runs ``SET key 0 NX EX`` and ``INCR key`` for each limit in turn, and stops at the first one
exceeded, as separate calls would have. django-ratelimit's cache calls take three a count
(``add``, then Django's ``incr``, which checks the key exists before incrementing it). The
window and the key are django-ratelimit's own, so the two ways count the same thing and a
deploy in the middle of a window keeps its counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from django_ratelimit import ALL
from django_ratelimit.core import (
    EXPIRATION_FUDGE,
    _get_window,
    _make_cache_key,
    is_ratelimited,
)
from redis.exceptions import RedisError

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

# KEYS: one per count; ARGV: limit and expiry (seconds) of each, in the same order.
# Returns the 1-based position of the first count over its limit, 0 if none is.
_COUNT = """
for i, key in ipairs(KEYS) do
  redis.call('SET', key, 0, 'NX', 'EX', ARGV[2 * i])
  if redis.call('INCR', key) > tonumber(ARGV[2 * i - 1]) then
    return i
  end
end
return 0
"""


class Count(NamedTuple):
    """One attempt to count against a limit: ``limit`` attempts per ``window`` seconds."""

    scope: str
    key: str
    limit: int
    window: int


def hit(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; True when more than ``limit`` were made
    in the current window of ``window`` seconds.

    django-ratelimit hashes its cache keys, so no address or IP sits in the cache in clear.
    """
    return first_exceeded([Count(scope, key, limit, window)]) is not None


def first_exceeded(counts: Sequence[Count]) -> int | None:
    """Count one attempt against each limit in turn and stop at the first one exceeded:
    return its position (the later ones are not counted), or None if none is exceeded."""
    if not counts or not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    if isinstance(cache, RedisCache):
        try:
            return _count_on_redis(cache, counts)
        except (RedisError, OSError):  # Redis did not answer: a brake on abuse, not a lock
            return None if getattr(settings, "RATELIMIT_FAIL_OPEN", False) else 0
    for position, count in enumerate(counts):
        # The key is known already (an address read from a valid form, a client IP), so
        # django-ratelimit is given it and reads nothing from a request.
        value = count.key.lower()
        if is_ratelimited(
            None,
            group=count.scope,
            key=lambda _group, _request, value=value: value,
            rate=(count.limit, count.window),
            increment=True,
        ):
            return position
    return None


# redis-py's Script, made once; each call passes the client of its own cache.
_script: Any = None


def _count_on_redis(cache: RedisCache, counts: Sequence[Count]) -> int | None:
    """The position of the first count over its limit (None if none), counted in one round
    trip (EVALSHA; the script is loaded again by redis-py if Redis has forgotten it)."""
    global _script
    keys = []
    args: list[int] = []
    for count in counts:
        value = count.key.lower()
        ends_at = _get_window(value, count.window)
        keys.append(
            cache.make_and_validate_key(
                _make_cache_key(count.scope, ends_at, (count.limit, count.window), value, ALL)
            )
        )
        args += [count.limit, count.window + EXPIRATION_FUDGE]
    # The first key's server counts them all: every cache of the project has one server.
    client = cache._cache.get_client(keys[0], write=True)
    if _script is None:
        _script = client.register_script(_COUNT)
    position = int(_script(keys=keys, args=args, client=client))
    return position - 1 if position else None
