"""The sign-up's rate limits: ``NEWSLETTERS_RATE_LIMITS`` applied by ``ops.ratelimit``."""

from __future__ import annotations

from django.conf import settings

from ops import ratelimit


def _count(scope: str, key: str) -> ratelimit.Count:
    limit, window = settings.NEWSLETTERS_RATE_LIMITS[scope]
    return ratelimit.Count(f"newsletters:rate:{scope}", key, limit, window)


def hit(scope: str, key: str) -> bool:
    """Count one sign-up attempt for ``key``; True when the limit is exceeded.

    ``scope`` names an entry of ``NEWSLETTERS_RATE_LIMITS`` (``ip`` or ``email``).
    """
    return ratelimit.first_exceeded([_count(scope, key)]) is not None


def hit_client_then_address(ip: str, address: str) -> bool:
    """``hit("ip", ip)``, then ``hit("email", address)`` unless the first was exceeded: in one
    round trip to Redis. True when either limit is exceeded."""
    return ratelimit.first_exceeded([_count("ip", ip), _count("email", address)]) is not None
