"""Fixed-window rate limits kept in the Django cache (Redis when CACHE_URL names it)."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def hit(scope: str, key: str) -> bool:
    """Count one attempt for ``key`` in ``scope``; True when the limit is exceeded.

    ``scope`` names an entry of ``NEWSLETTERS_RATE_LIMITS`` (``ip`` or ``email``). Keys are
    hashed so that no address or IP sits in the cache in clear.
    """
    limit, window = settings.NEWSLETTERS_RATE_LIMITS[scope]
    bucket = int(time.time() // window)
    digest = hashlib.sha256(key.lower().encode()).hexdigest()[:32]
    cache_key = f"newsletters:rate:{scope}:{digest}:{bucket}"
    if cache.add(cache_key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, timeout=window)
            count = 1
    return count > limit
