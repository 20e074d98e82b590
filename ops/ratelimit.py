"""Fixed-window rate limits counted by django-ratelimit in the Django cache (Redis in production).

Shared by every public form that sends an email: the newsletter sign-up, the contest
reminders, the admin's password reset.
"""

from __future__ import annotations

from django_ratelimit.core import is_ratelimited


def hit(scope: str, key: str, limit: int, window: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; True when more than ``limit`` were made
    in the current window of ``window`` seconds.

    django-ratelimit hashes its cache keys, so no address or IP sits in the cache in clear.
    """
    value = key.lower()
    # The key is known already (an address read from a valid form, a client IP), so
    # django-ratelimit is given it and reads nothing from a request.
    return is_ratelimited(
        None,
        group=scope,
        key=lambda _group, _request: value,
        rate=(limit, window),
        increment=True,
    )
