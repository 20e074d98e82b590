"""One of the two processes of ``test_sqlite_concurrency``: the web server or the Celery worker.

Run as ``python -m tests.ops.sqlite_writers {web,worker} DIRECTORY`` with ``DATABASE_URL``
naming a migrated SQLite file. The web process signs people up through the real view and saves
page revisions as the editor's autosave does; the worker drains the outbox as beat's task does
(claim, send, ledger). Each prints one line of JSON: what it wrote and the errors it met.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIGNUPS = 30
REVISIONS = 30
DEADLINE = 40.0


def run_step(step: Callable[[], Any], report: dict[str, Any]) -> tuple[bool, Any]:
    """Run one unit of work; count "database is locked" apart from other errors.

    Returns whether it succeeded, and what it returned.
    """
    from django.db import OperationalError

    try:
        result = step()
    except OperationalError as error:
        if "database is locked" in str(error):
            report["locked"] += 1
        else:
            report["errors"].append(repr(error))
        return False, None
    except Exception as error:
        report["errors"].append(f"{error!r}\n{traceback.format_exc()[-1500:]}")
        return False, None
    return True, result


def wait_for_both(directory: Path, role: str) -> None:
    """Start writing only once the other process is ready too, so that the writes overlap."""
    (directory / f"ready-{role}").touch()
    deadline = time.monotonic() + DEADLINE
    while not all((directory / f"ready-{name}").exists() for name in ("web", "worker")):
        if time.monotonic() > deadline:
            raise SystemExit(f"{role}: l'autre processus n'a pas démarré à temps")
        time.sleep(0.01)


def web(directory: Path) -> dict[str, Any]:
    """Sign-ups through the view and page revisions in a transaction, interleaved."""
    from django.db import transaction
    from django.test import Client

    from wagtail.models import Site

    from subscriptions.models import ConsentWording

    report: dict[str, Any] = {"signups": 0, "revisions": 0, "locked": 0, "errors": []}
    client = Client()
    wording = ConsentWording.current()
    assert wording is not None
    page_id = Site.objects.get(is_default_site=True).root_page_id

    def sign_up(number: int) -> None:
        response = client.post(
            "/newsletter/",
            {
                "email": f"personne{number}@example.fr",
                "topics": ["actualites"],
                "consent": "on",
                "consent_version": wording.version,
                "source": "/newsletter/",
                "website": "",
            },
        )
        if response.status_code != 302:
            raise AssertionError(f"inscription {number} : réponse {response.status_code}")

    def save_revision(number: int) -> None:
        # As Wagtail's edit view saves a draft (autosave included): read, then write, in one
        # transaction.
        from wagtail.models import Page

        with transaction.atomic():
            page = Page.objects.get(pk=page_id).specific
            page.title = f"Accueil, brouillon {number}"
            page.save_revision(log_action=True)

    wait_for_both(directory, "web")
    try:
        for number in range(max(SIGNUPS, REVISIONS)):
            if number < SIGNUPS and run_step(lambda n=number: sign_up(n), report)[0]:
                report["signups"] += 1
            if number < REVISIONS and run_step(lambda n=number: save_revision(n), report)[0]:
                report["revisions"] += 1
    finally:
        (directory / "web-done").touch()
    return report


def worker(directory: Path) -> dict[str, Any]:
    """Drain the outbox until the web process is done and nothing is left to send."""
    from mailing.models import OutboxEmail
    from mailing.tasks import drain_outbox

    report: dict[str, Any] = {"sent": 0, "locked": 0, "errors": []}
    wait_for_both(directory, "worker")
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        # Read before draining: once the web is done, one more full drain must leave nothing.
        web_done = (directory / "web-done").exists()
        drained, sent = run_step(drain_outbox, report)
        if drained:
            report["sent"] += sent
        if web_done:
            counted, left = run_step(lambda: OutboxEmail.objects.due().count(), report)
            if counted and left == 0:
                return report
        elif not (drained and sent):
            time.sleep(0.005)  # a short poll interval, not to starve the web process of CPU
    report["errors"].append("délai dépassé")
    return report


def main() -> None:
    role, directory = sys.argv[1], Path(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    # The test settings run tasks in-process; here the worker is the other process, and the
    # web's on-commit dispatch goes to an in-memory broker nobody reads (as if the broker were
    # down), leaving every email to the worker's drain.
    from config.celery import app

    app.conf.task_always_eager = False
    report = web(directory) if role == "web" else worker(directory)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
