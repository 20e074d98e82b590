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
from django.utils import timezone

from config.celery import app as celery_app

TIMEOUT_SECONDS = 2.0
HEARTBEAT_KEY = "ops:beat-heartbeat"
HEARTBEAT_NAME = "celery-beat"
# Caches each process keeps to itself: a heartbeat there would never reach the web process.
PROCESS_LOCAL_CACHES = {"LocMemCache", "DummyCache"}

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
                # kombu-stubs (celery-types) want an int; kombu takes seconds as a float.
                connection.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)  # type: ignore[arg-type]
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


def cache_is_shared() -> bool:
    """Whether every process reads what one writes in the default cache (not LocMem)."""
    backend = str(settings.CACHES["default"]["BACKEND"])  # mypy infers the settings' literal
    return backend.rsplit(".", 1)[-1] not in PROCESS_LOCAL_CACHES


def record_heartbeat() -> None:
    """Say that a worker ran beat's task now, where the web processes will read it."""
    if cache_is_shared():
        cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
        return
    from ops.models import Heartbeat

    Heartbeat.objects.update_or_create(name=HEARTBEAT_NAME, defaults={"beaten_at": timezone.now()})


def last_heartbeat() -> float | None:
    """The time of the last heartbeat (a Unix timestamp), or None if there was none yet."""
    if cache_is_shared():
        last = cache.get(HEARTBEAT_KEY)
        return None if last is None else float(last)
    from ops.models import Heartbeat

    beaten_at = (
        Heartbeat.objects.filter(name=HEARTBEAT_NAME).values_list("beaten_at", flat=True).first()
    )
    return None if beaten_at is None else beaten_at.timestamp()


def check_beat() -> str | None:
    """Beat queues a heartbeat task that a worker runs: a recent one proves both are alive."""
    try:
        last = last_heartbeat()
    except Exception:
        where = "cache injoignable" if cache_is_shared() else "base de données injoignable"
        return f"battement de Celery beat illisible ({where})"
    if last is None:
        return "Celery beat n'a encore envoyé aucun battement"
    age = time.time() - last
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
