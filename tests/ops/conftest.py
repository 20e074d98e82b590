"""Fixtures for the ops tests: the served stack with its own Redis, SMTP server and database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services import PostgresDatabase, RedisServer, ServedStack, SmtpInbox, smtp_server


@pytest.fixture(scope="module")
def stack_smtp() -> Iterator[SmtpInbox]:
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture(scope="module")
def stack_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with RedisServer(tmp_path_factory.mktemp("redis")).running() as server:
        yield server


@pytest.fixture(scope="module")
def stack_env() -> dict[str, str]:
    """Environment overrides for the module's stack; a module redefines it to add some."""
    return {}


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    stack_redis: RedisServer,
    stack_smtp: SmtpInbox,
    stack_env: dict[str, str],
) -> Iterator[ServedStack]:
    """gunicorn, a Celery worker and beat under honcho, as ``make serve`` runs them.

    Production settings, against a PostgreSQL database of its own (created here, dropped at
    the end), its own redis-server and an aiosmtpd server; started once for the module.
    """
    database = PostgresDatabase(f"carburateur_stack_{os.getpid()}")
    database.create()
    directory = Path(tmp_path_factory.mktemp("stack"))
    served = ServedStack(
        directory, database.url, stack_redis, smtp_port=stack_smtp.port, env=stack_env
    )
    try:
        served.prepare()
        served.manage("load_demo")
        served.start()
        yield served
    finally:
        served.stop()
        database.drop()
