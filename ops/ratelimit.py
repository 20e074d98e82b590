"""Fixed-window rate limits kept in the Django cache (Redis when CACHE_URL names it).

Shared by every public form that sends an email: the newsletter sign-up, the contest
reminders, the admin's password reset.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def hit(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; True when more than ``limit`` were made
    in the current window of ``window`` seconds.

    Keys are hashed so that no address or IP sits in the cache in clear.
    """
    bucket = int(time.time() // window)
    digest = hashlib.sha256(key.lower().encode()).hexdigest()[:32]
    cache_key = f"{scope}:{digest}:{bucket}"
    if cache.add(cache_key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add() and incr()
            cache.add(cache_key, 1, timeout=window)
            count = 1
    return count > limit
