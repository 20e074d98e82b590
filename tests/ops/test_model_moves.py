"""Moving models between apps loses no row: a database filled by ``load_demo``, taken back to
before the moves and forward again, keeps every row, content type and group permission."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.services import REPO_ROOT, PostgresDatabase

# The apps whose models came out of ``newsletters`` (issue 15): migrating each to zero takes the
# schema's *state* back to before the moves; the tables themselves are never touched.
MOVED_TO_APPS = ("mailing", "subscriptions", "reminders")

SNAPSHOT = """
import json
import django
django.setup()
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection

with connection.cursor() as cursor:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
content_types = {
    str(pk): f"{app_label}.{model}"
    for pk, app_label, model in ContentType.objects.values_list("pk", "app_label", "model")
}
permissions = sorted(
    f"{group}:{app_label}.{codename}"
    for group, app_label, codename in Group.objects.values_list(
        "name", "permissions__content_type__app_label", "permissions__codename"
    )
    if codename
)
print(json.dumps({"counts": counts, "content_types": content_types, "permissions": permissions}))
"""


def _run(database_url: str, media: Path, *args: str) -> str:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "MEDIA_ROOT": str(media),
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def _snapshot(database_url: str, media: Path) -> dict[str, Any]:
    return json.loads(_run(database_url, media, "-c", SNAPSHOT).strip().splitlines()[-1])


#: Tables born after the moves in, or depending on, an app moved to (registrations keeps a
#: link to the outbox; the event reminders live in reminders): taking that app back to zero
#: drops them, by design, and re-creates them empty. Their rows are not the moves' business.
LATER_DEPENDENT_TABLES = ("registrations_", "reminders_eventreminder")
#: Models an app moved to gained after the moves: they never belonged to newsletters.
LATER_MODELS = {"reminders.eventreminderrun", "reminders.eventreminderdelivery"}


def _without_migrations(counts: dict[str, int]) -> dict[str, int]:
    return {
        table: rows
        for table, rows in counts.items()
        if table != "django_migrations" and not table.startswith(LATER_DEPENDENT_TABLES)
    }


def _moves_round_trip(database_url: str, media: Path) -> None:
    _run(database_url, media, "manage.py", "migrate", "--noinput", "--verbosity", "0")
    _run(database_url, media, "manage.py", "load_demo", "--verbosity", "0")
    filled = _snapshot(database_url, media)
    moved_models = {
        label
        for label in filled["content_types"].values()
        if label.split(".")[0] in MOVED_TO_APPS and label not in LATER_MODELS
    }
    assert sum(filled["counts"].values()) > 0

    for app in MOVED_TO_APPS:
        _run(database_url, media, "manage.py", "migrate", app, "zero", "--noinput", "-v", "0")
    before_moves = _snapshot(database_url, media)
    _run(database_url, media, "manage.py", "migrate", "--noinput", "--verbosity", "0")
    after_moves = _snapshot(database_url, media)

    # Only the record of applied migrations differs before the moves: no data row does.
    assert _without_migrations(before_moves["counts"]) == _without_migrations(filled["counts"])
    assert _without_migrations(after_moves["counts"]) == _without_migrations(filled["counts"])
    assert after_moves["counts"]["django_migrations"] == filled["counts"]["django_migrations"]
    # Back before the moves, the moved models' content types (and so their permissions) belong
    # to newsletters again, under the same ids; forward, to their new apps.
    assert before_moves["content_types"].keys() == filled["content_types"].keys()
    assert all(
        before_moves["content_types"][pk].split(".")[0] == "newsletters"
        for pk, label in filled["content_types"].items()
        if label in moved_models
    )
    assert after_moves["content_types"] == filled["content_types"]
    assert len(before_moves["permissions"]) == len(filled["permissions"])
    assert after_moves["permissions"] == filled["permissions"]


@pytest.mark.slow
def test_model_moves__keep_every_row_on_sqlite(tmp_path: Path) -> None:
    _moves_round_trip(f"sqlite:///{tmp_path / 'moves.sqlite3'}", tmp_path / "media")


@pytest.mark.slow
@pytest.mark.services
def test_model_moves__keep_every_row_on_postgresql(tmp_path: Path) -> None:
    database = PostgresDatabase(f"carburateur_moves_{uuid.uuid4().hex[:8]}")
    database.create()
    try:
        _moves_round_trip(database.url, tmp_path / "media")
    finally:
        database.drop()
