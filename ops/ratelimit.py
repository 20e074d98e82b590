"""Fixed-window rate limits counted by django-ratelimit in the Django cache (Redis in production).

Shared by every public form that sends an email: the newsletter sign-up, the contest
reminders, the admin's password reset.

On Redis a count is one round trip: ``SET key 0 NX EX`` and ``INCR key`` in one ``MULTI``,
where django-ratelimit's cache calls take three (``add``, then Django's ``incr``, which checks
the key exists before incrementing it). The window and the key are django-ratelimit's own, so
the two ways count the same thing and a deploy in the middle of a window keeps its counts.
"""

from __future__ import annotations

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


def hit(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; True when more than ``limit`` were made
    in the current window of ``window`` seconds.

    django-ratelimit hashes its cache keys, so no address or IP sits in the cache in clear.
    """
    value = key.lower()
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return False
    cache = caches[getattr(settings, "RATELIMIT_USE_CACHE", "default")]
    if isinstance(cache, RedisCache):
        count = _count_on_redis(cache, scope, value, limit, window)
        if count is None:  # Redis did not answer: a brake on abuse, not a lock
            return not getattr(settings, "RATELIMIT_FAIL_OPEN", False)
        return count > limit
    # The key is known already (an address read from a valid form, a client IP), so
    # django-ratelimit is given it and reads nothing from a request.
    return is_ratelimited(
        None,
        group=scope,
        key=lambda _group, _request: value,
        rate=(limit, window),
        increment=True,
    )


def _count_on_redis(
    cache: RedisCache, scope: str, value: str, limit: int, window: int
) -> int | None:
    """This attempt's number in its window, counted in one round trip; None if Redis failed."""
    ends_at = _get_window(value, window)
    cache_key = cache.make_and_validate_key(
        _make_cache_key(scope, ends_at, (limit, window), value, ALL)
    )
    client = cache._cache.get_client(cache_key, write=True)
    try:
        with client.pipeline(transaction=True) as pipeline:
            pipeline.set(cache_key, 0, ex=window + EXPIRATION_FUDGE, nx=True)
            pipeline.incr(cache_key)
            _created, count = pipeline.execute()
    except (RedisError, OSError):
        return None
    return int(count)
