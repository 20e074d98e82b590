"""A throttle shared by every worker, so that sends stay within the relay's rate.

It keeps one number: the time at which the next message may leave. Reserving ``n`` messages
pushes that time ``n / rate`` seconds further and tells the caller how long to wait before
sending them. The number lives in Redis (one Lua script, atomic, on Redis's clock) when one is
configured, else in a database row locked for the update.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction

BUCKET = "newsletters"
_RESERVE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local next_free = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(next_free, now)
redis.call('SET', KEYS[1], string.format('%.6f', start + tonumber(ARGV[1])), 'EX', 3600)
return string.format('%.6f', start - now)
"""


def _redis_url() -> str:
    url = settings.NEWSLETTERS_THROTTLE_REDIS_URL or settings.CELERY_BROKER_URL
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


@lru_cache(maxsize=4)
def _redis_script(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url).register_script(_RESERVE)


class Throttle:
    """At most ``rate`` messages a second across all workers (0 means no limit)."""

    def __init__(self, rate: float, *, name: str = BUCKET) -> None:
        self.rate = rate
        self.key = f"newsletters:throttle:{name}"
        self.name = name
        # Reserve a quarter of a second's worth at a time: fewer round trips, same average.
        self.batch = max(1, int(rate / 4)) if rate else 0
        self._allowance = 0

    def reserve(self, count: int) -> float:
        """Book ``count`` messages; return the seconds to wait before sending them."""
        duration = count / self.rate
        url = _redis_url()
        if url:
            return float(_redis_script(url)(keys=[self.key], args=[f"{duration:.6f}"]))
        from .models import ThrottleBucket

        with transaction.atomic():
            bucket, _created = ThrottleBucket.objects.select_for_update().get_or_create(
                name=self.name
            )
            now = time.time()
            start = max(bucket.next_free_at, now)
            bucket.next_free_at = start + duration
            bucket.save(update_fields=["next_free_at"])
        return start - now

    def acquire(self) -> None:
        """Wait until one more message may leave."""
        if not self.rate:
            return
        if self._allowance == 0:
            delay = self.reserve(self.batch)
            if delay > 0:
                time.sleep(delay)
            self._allowance = self.batch
        self._allowance -= 1
