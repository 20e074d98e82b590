"""The sign-up's rate limits: ``NEWSLETTERS_RATE_LIMITS`` applied by ``ops.ratelimit``."""

from __future__ import annotations

from django.conf import settings

from ops import ratelimit


def hit(scope: str, key: str) -> bool:
    """Count one sign-up attempt for ``key``; True when the limit is exceeded.

    ``scope`` names an entry of ``NEWSLETTERS_RATE_LIMITS`` (``ip`` or ``email``).
    """
    limit, window = settings.NEWSLETTERS_RATE_LIMITS[scope]
    return ratelimit.hit(f"newsletters:rate:{scope}", key, limit, window)
