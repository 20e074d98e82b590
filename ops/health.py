"""Checks of the services the site depends on, shared by ``/readyz`` and ``preflight``.

Each check returns ``None`` when the service answers, or a French sentence saying what failed.
Every check is bounded by a short timeout so that a dead service never hangs the caller.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import redis

from django.conf import settings
from django.core.cache import cache
from django.db import connections

from config.celery import app as celery_app

TIMEOUT_SECONDS = 2.0
HEARTBEAT_KEY = "ops:beat-heartbeat"

Check = Callable[[], str | None]


def _redis_ping(url: str) -> None:
    client = redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    finally:
        client.close()


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def check_database() -> str | None:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        # A broken connection must not stay in this thread for the next request.
        connection.close_if_unusable_or_obsolete()
        return f"base de données injoignable ({type(error).__name__} : {error})".strip()
    return None


def check_cache() -> str | None:
    location = settings.CACHES["default"].get("LOCATION", "")
    try:
        if isinstance(location, str) and location.startswith(("redis://", "rediss://")):
            _redis_ping(location)
        else:
            cache.get(HEARTBEAT_KEY)
    except Exception as error:
        return f"cache Redis injoignable ({_safe_url(str(location))} : {error})"
    return None


def check_broker() -> str | None:
    url = str(celery_app.conf.broker_url or "")
    try:
        if url.startswith(("redis://", "rediss://")):
            _redis_ping(url)
        else:
            with celery_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    except Exception as error:
        return f"broker Celery injoignable ({_safe_url(url)} : {error})"
    return None


def uses_smtp() -> bool:
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"


def check_smtp() -> str | None:
    """Open an SMTP session and say NOOP; only when email goes through an SMTP server."""
    if not uses_smtp():
        return None
    host, port = settings.EMAIL_HOST, settings.EMAIL_PORT
    smtp_class = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
    try:
        with smtp_class(host, port, timeout=TIMEOUT_SECONDS) as server:
            server.noop()
    except Exception as error:
        return f"serveur SMTP injoignable ({host}:{port} : {error})"
    return None


def record_heartbeat() -> None:
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


def check_beat() -> str | None:
    """Beat queues a heartbeat task that a worker runs: a recent one proves both are alive."""
    try:
        last = cache.get(HEARTBEAT_KEY)
    except Exception:
        return "battement de Celery beat illisible (cache injoignable)"
    if last is None:
        return "Celery beat n'a encore envoyé aucun battement"
    age = time.time() - float(last)
    if age > settings.OPS_HEARTBEAT_STALE_SECONDS:
        return f"dernier battement de Celery beat il y a {int(age)} s"
    return None


READINESS_CHECKS: dict[str, Check] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "beat": check_beat,
}


def run(checks: dict[str, Check]) -> dict[str, str | None]:
    """Run every check (none stops the others) and return their outcomes by name."""
    return {name: check() for name, check in checks.items()}
