"""The embedded SQLite default holds the web server and the worker writing at the same time.

``make run`` serves pages and runs a Celery worker in separate processes on one SQLite file.
Two real processes here, with the settings' database options: the web one signs people up
through the view and saves page drafts, the worker one drains the outbox (claim, send, ledger).
Neither may meet "database is locked", and every write must land.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from contextlib import ExitStack, closing
from pathlib import Path

import pytest

from django.db import connections
from django.db.models import Model

from wagtail.models import Revision

from mailing.models import OutboxEmail
from subscriptions.models import Subscriber
from tests.ops.sqlite_writers import REVISIONS, SIGNUPS
from tests.services import REPO_ROOT

# Only so that pytest-django creates the test database, whose pristine copy we start from.
pytestmark = pytest.mark.django_db

TIMEOUT = 50


@pytest.fixture
def sqlite_file(tmp_path: Path, _pristine_database: str | None) -> Path:
    """A migrated SQLite file in the default journal mode, as a first ``make run`` makes it."""
    path = tmp_path / "site.sqlite3"
    if connections["default"].vendor == "sqlite" and _pristine_database:
        shutil.copyfile(_pristine_database, path)
    else:  # the suite runs on PostgreSQL: migrate a file of our own
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=REPO_ROOT,
            env=writer_env(path),
            check=True,
            timeout=120,
        )
    with closing(sqlite3.connect(path)) as database:
        database.execute("PRAGMA journal_mode=DELETE")
    return path


def writer_env(path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{path}",
        "CACHE_URL": "",
        "CELERY_BROKER_URL": "memory://",
        # Every sign-up comes from the same address.
        "NEWSLETTERS_RATE_LIMIT_IP": "1000",
        "LOG_LEVEL": "WARNING",
    }


def count(path: Path, model: type[Model], where: str = "") -> int:
    """How many rows of ``model`` the file holds, read without Django."""
    sql = f"SELECT COUNT(*) FROM {model._meta.db_table} {where}"  # noqa: S608 (no input)
    with closing(sqlite3.connect(path)) as database:
        return database.execute(sql).fetchone()[0]


def test_sqlite__web_and_worker_processes_write_at_once_and_nothing_is_locked(
    sqlite_file: Path, tmp_path: Path
) -> None:
    revisions_before = count(sqlite_file, Revision)
    deadline = time.monotonic() + TIMEOUT
    reports = {}
    with ExitStack() as stack:
        processes = {
            role: subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "tests.ops.sqlite_writers", role, str(tmp_path)],
                cwd=REPO_ROOT,
                env=writer_env(sqlite_file),
                stdout=subprocess.PIPE,
                stderr=stack.enter_context((tmp_path / f"{role}.log").open("w")),
                text=True,
            )
            for role in ("web", "worker")
        }
        try:
            for role, process in processes.items():
                stdout, _ = process.communicate(timeout=max(deadline - time.monotonic(), 0.1))
                log = (tmp_path / f"{role}.log").read_text()[-3000:]
                assert process.returncode == 0, f"{role} :\n{log}"
                reports[role] = json.loads(stdout.strip().splitlines()[-1])
        finally:
            for process in processes.values():
                if process.poll() is None:
                    process.kill()
                    process.wait()

    web, worker = reports["web"], reports["worker"]
    assert (web["locked"], worker["locked"]) == (0, 0), reports
    assert (web["errors"], worker["errors"]) == ([], []), reports
    assert (web["signups"], web["revisions"], worker["sent"]) == (SIGNUPS, REVISIONS, SIGNUPS)
    # What the processes said they wrote is in the file.
    assert count(sqlite_file, Subscriber) == SIGNUPS
    assert count(sqlite_file, OutboxEmail) == SIGNUPS
    assert count(sqlite_file, OutboxEmail, "WHERE sent_at IS NOT NULL") == SIGNUPS
    assert count(sqlite_file, Revision) == revisions_before + REVISIONS
    # The options put the file, created in the default journal mode, in WAL mode.
    with closing(sqlite3.connect(sqlite_file)) as database:
        assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
