"""Fixtures for the ops tests: the served stack with its own Redis, SMTP server and database."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
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


@dataclass(frozen=True)
class LoadedDemo:
    """A database with the demo loaded, and the media files ``load_demo`` made for it."""

    database: PostgresDatabase
    media: Path


@pytest.fixture(scope="session")
def loaded_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadedDemo]:
    """``migrate`` and ``load_demo`` as ``make serve`` would run them, once for the whole run.

    ``load_demo`` makes every rendition of the demo's images ahead, which takes about two
    minutes; each stack then starts from a copy of this database and of its media files.
    """
    database = PostgresDatabase(f"carburateur_demo_{os.getpid()}")
    database.create()
    directory = Path(tmp_path_factory.mktemp("demo"))
    try:
        with RedisServer(directory).running() as redis:
            served = ServedStack(directory, database.url, redis)
            served.manage("migrate", "--noinput", "-v0")
            served.manage("load_demo")
        yield LoadedDemo(database, directory / "media")
    finally:
        database.drop()


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory,
    loaded_demo: LoadedDemo,
    stack_redis: RedisServer,
    stack_smtp: SmtpInbox,
    stack_env: dict[str, str],
) -> Iterator[ServedStack]:
    """gunicorn, a Celery worker and beat under honcho, as ``make serve`` runs them.

    Production settings, against a PostgreSQL database of its own (a copy of the loaded demo,
    dropped at the end), its own redis-server and an aiosmtpd server; started once for the
    module.
    """
    database = PostgresDatabase(f"carburateur_stack_{os.getpid()}")
    database.create(template=loaded_demo.database.name)
    directory = Path(tmp_path_factory.mktemp("stack"))
    shutil.copytree(loaded_demo.media, directory / "media")
    served = ServedStack(
        directory, database.url, stack_redis, smtp_port=stack_smtp.port, env=stack_env
    )
    try:
        served.prepare()
        served.start()
        yield served
    finally:
        served.stop()
        database.drop()
