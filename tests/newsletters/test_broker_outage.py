"""A subscription made while the broker is down gets its confirmation once it is back.

Real services, all on loopback and all started here: a redis-server of our own on a free port
(never the shared 6379), a Celery worker subprocess with embedded beat, and an aiosmtpd server
in this process.

The worker is another process, so it must see the test's data. On PostgreSQL it opens the test
database directly. On SQLite, pytest-django's test database lives in memory, invisible to any
other process, so for this test the default connection is pointed at a migrated SQLite file
that both processes open (and put back afterwards). Either way the test runs with
``transaction=True`` so that what it writes is committed and visible to the worker.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connections
from django.test import Client

from config.celery import app as celery_app
from newsletters.models import OutboxEmail, Subscriber
from tests.services import RedisServer, SmtpInbox, smtp_server, text_body, wait_for

from .conftest import SIGNUP_URL, link_to, signup_data

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REPO_ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def worker_database(django_db_blocker: Any, tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL for the worker that names the very database this test writes to."""
    original = connections["default"]
    config = original.settings_dict
    if original.vendor == "postgresql":
        user = config["USER"] or "postgres"
        password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
        host, port = config["HOST"] or "127.0.0.1", config["PORT"] or 5432
        yield f"postgres://{user}{password}@{host}:{port}/{config['NAME']}"
        return
    if original.vendor != "sqlite":
        pytest.fail(f"Base de données non prise en charge par ce test : {original.vendor}")
    path = tmp_path / "shared.sqlite3"
    file_connection = original.__class__(
        {**config, "NAME": str(path), "TEST": {**config["TEST"], "NAME": str(path)}},
        alias="default",
    )
    connections["default"] = file_connection
    try:
        with django_db_blocker.unblock():
            call_command("migrate", verbosity=0, interactive=False)
        yield f"sqlite:///{path}"
    finally:
        file_connection.close()
        connections["default"] = original


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[SmtpInbox, int]]:
    with smtp_server() as inbox:
        yield inbox, inbox.port


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    with RedisServer(tmp_path).running() as server:
        yield server


@pytest.fixture
def celery_worker(
    redis_server: RedisServer,
    smtp_inbox: tuple[SmtpInbox, int],
    worker_database: str,
    tmp_path: Path,
) -> Iterator[Path]:
    """``celery -A config worker -B`` against our Redis, database and SMTP server."""
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.newsletters.celery_worker_settings",
        "DATABASE_URL": worker_database,
        "CELERY_BROKER_URL": redis_server.url,
        "SMTP_PORT": str(smtp_inbox[1]),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat-schedule"),
    }
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-B",
                "--pool=solo",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"test-{os.getpid()}@localhost",
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            lambda: process.poll() is not None or b"ready." in log.read_bytes(),
            "le démarrage du worker Celery",
        )
        if process.poll() is not None:
            pytest.fail(f"Le worker Celery s'est arrêté :\n{log.read_text()}")
        yield log
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def producer_on(redis_server: RedisServer) -> Iterator[None]:
    """Make this process publish to our Redis instead of running tasks eagerly."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=redis_server.url)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        celery_app.conf.update(saved)


def test_subscription_while_broker_is_down__confirmation_arrives_once_it_is_back(
    redis_server: RedisServer,
    celery_worker: Path,
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
) -> None:
    inbox, _port = smtp_inbox
    redis_server.stop()

    response = Client().post(SIGNUP_URL, signup_data(email="panne@example.fr"))

    assert response.status_code == 302
    outbox_row = OutboxEmail.objects.get()
    assert outbox_row.sent_at is None
    assert inbox.messages == []

    redis_server.start()
    [message] = wait_for(lambda: inbox.messages, "le courriel de confirmation")

    assert message["To"] == "panne@example.fr"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    wait_for(
        lambda: OutboxEmail.objects.filter(pk=outbox_row.pk, sent_at__isnull=False).exists(),
        "l'enregistrement de l'envoi",
    )
    text = text_body(message)

    class Received:
        body = text

    confirmation = Client().get(link_to(Received, "confirm"))  # type: ignore[arg-type]
    assert confirmation.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    assert len(inbox.messages) == 1  # sent once, although dispatch and drain both ran
