"""/healthz and /readyz in process: what each checks, and the JSON it answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from django.test import Client
from django.utils import timezone

from ops import health
from ops.models import Heartbeat
from ops.tasks import heartbeat
from tests.services import CeleryWorker, wait_for


def test_healthz__answers_without_touching_the_database(client: Client) -> None:
    # No django_db mark: any query here would fail the test.
    answer = client.get("/healthz")

    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}
    assert "no-cache" in answer["Cache-Control"]


@pytest.mark.django_db
def test_readyz__503_naming_beat_before_any_heartbeat(client: Client) -> None:
    answer = client.get("/readyz")

    assert answer.status_code == 503
    assert answer.json() == {
        "status": "unavailable",
        "checks": {
            "database": "ok",
            "cache": "ok",
            "broker": "ok",
            "beat": "Celery beat n'a encore envoyé aucun battement",
        },
    }


@pytest.mark.django_db
def test_readyz__200_once_the_heartbeat_task_has_run(client: Client) -> None:
    heartbeat.delay()  # eager in tests: the worker's side of what beat queues

    answer = client.get("/readyz")

    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"


@pytest.mark.django_db
def test_readyz__503_when_the_last_heartbeat_is_stale(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OPS_HEARTBEAT_STALE_SECONDS = 120
    Heartbeat.objects.create(
        name=health.HEARTBEAT_NAME, beaten_at=timezone.now() - timedelta(seconds=300)
    )

    answer = client.get("/readyz")

    assert answer.status_code == 503
    assert answer.json()["checks"]["beat"] == "dernier battement de Celery beat il y a 300 s"


@pytest.mark.django_db
def test_readyz__503_naming_the_cache_and_broker_when_redis_is_unreachable(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    closed = "redis://127.0.0.1:1/0"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": closed}
    }
    from config.celery import app

    saved = app.conf.broker_url
    app.conf.broker_url = closed
    try:
        answer = client.get("/readyz")
    finally:
        app.conf.broker_url = saved

    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["cache"].startswith("cache Redis injoignable (redis://127.0.0.1:1/0")
    assert checks["broker"].startswith("broker Celery injoignable (redis://127.0.0.1:1/0")
    assert checks["beat"] == "battement de Celery beat illisible (cache injoignable)"


def test_readyz__refuses_post(client: Client) -> None:
    assert client.post("/readyz").status_code == 405
    assert client.post("/healthz").status_code == 405


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_readyz__turns_200_when_beat_and_a_worker_in_other_processes_beat(
    client: Client, worker_factory: Callable[..., CeleryWorker]
) -> None:
    # The embedded default: an in-process cache, which the worker's writes never reach.
    assert not health.cache_is_shared()
    assert client.get("/readyz").status_code == 503
    worker_factory(
        beat=True,
        settings={
            "CELERY_BEAT_SCHEDULE": {
                "ops-heartbeat": {"task": "ops.tasks.heartbeat", "schedule": 1.0}
            }
        },
    )

    answer = wait_for(
        lambda: (answer := client.get("/readyz")).status_code == 200 and answer,
        "un /readyz à 200 après le battement du worker",
        timeout=60,
    )

    assert answer.json()["checks"]["beat"] == "ok"
    assert Heartbeat.objects.get(name=health.HEARTBEAT_NAME).beaten_at > timezone.now() - timedelta(
        seconds=60
    )
