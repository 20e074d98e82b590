"""A web worker warms itself up before its first visitor (``ops.warmup``, ``post_worker_init``
in ``config/gunicorn.py``): only speed, never a failed start, never a write, a mail or a page
stored in the page cache."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from django.core import mail
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, transaction
from django.test import Client

from wagtail.images import get_image_model
from wagtail.models import Page

from config import gunicorn as gunicorn_config
from home.models import HomePage
from mailing.models import OutboxEmail
from ops import warmup
from tests.factories.members import MemberPageFactory
from tests.factories.pages import ImageFactory

pytestmark = pytest.mark.django_db

Rendition = get_image_model().get_rendition_model()


def worker(application: Any, timeout: int = 30) -> SimpleNamespace:
    """What ``post_worker_init`` reads of gunicorn's worker; counts its heartbeats."""
    beats = SimpleNamespace(count=0)

    def notify() -> None:
        beats.count += 1

    return SimpleNamespace(
        wsgi=application,
        cfg=SimpleNamespace(timeout=timeout),
        log=logging.getLogger("gunicorn"),
        alive=True,
        notify=notify,
        beats=beats,
    )


@pytest.fixture
def served(settings, home_page: HomePage) -> None:  # type: ignore[no-untyped-def]
    """A site served once already: its settings rows exist (their first read writes them,
    which the warm-up refuses)."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    assert Client().get("/").status_code == 200


def test_warm_up__renders_a_page_of_each_type_and_a_404(served) -> None:
    resident = MemberPageFactory()
    report = warmup.warm_up(WSGIHandler())
    assert report.failures == []
    assert report.templates > 50
    # The legal pages come with the database; one page of each type.
    assert report.pages == [
        ("/", 200),
        ("/mentions-legales/", 200),
        (resident.get_parent().url, 200),
        (resident.url, 200),
        (warmup.MISSING_PATH, 404),
    ]


def rows_written() -> int:
    """Rows inserted, updated or deleted so far on this connection (this transaction, on
    PostgreSQL): the database's own count, refused statements aside."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT total_changes()")
        else:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                " FROM pg_stat_xact_user_tables"
            )
        return int(cursor.fetchone()[0])


def test_warm_up__writes_nothing_even_where_a_page_would(served) -> None:
    # A logo without renditions: its page's first render would make them (INSERTs).
    resident = MemberPageFactory(logo=ImageFactory(title="Logo", file__width=480))
    assert not Rendition.objects.exists()
    before = rows_written()
    report = warmup.warm_up(WSGIHandler())
    assert rows_written() == before
    assert not Rendition.objects.exists()
    # The pages that would write (the resident, and the lists showing its logo) are left to
    # their first visitor; the others are warmed.
    assert (resident.url, 500) in report.pages
    assert f"{resident.url}: statut 500 (WriteRefused" in " ".join(report.failures)
    assert ("/mentions-legales/", 200) in report.pages
    assert Client().get(resident.url).status_code == 200
    assert Rendition.objects.exists()
    assert rows_written() > before  # the count does see a page's writes


def test_reads_only__refuses_a_write_and_lets_reads_through(home_page: HomePage) -> None:
    with warmup.reads_only():
        assert Page.objects.filter(pk=home_page.pk).exists()
        with pytest.raises(warmup.WriteRefused), transaction.atomic():
            Page.objects.filter(pk=home_page.pk).update(title="Écrit pendant le préchauffage")
    home_page.refresh_from_db()
    assert home_page.title != "Écrit pendant le préchauffage"


def test_warm_up__sends_nothing(home_page: HomePage, served) -> None:
    report = warmup.warm_up(WSGIHandler())
    assert ("/", 200) in report.pages  # the home page and its sign-up form were rendered
    assert mail.outbox == []
    assert not OutboxEmail.objects.exists()


def test_warm_up__stores_no_page_in_the_page_cache(home_page: HomePage, served, settings) -> None:
    settings.PAGECACHE_ENABLED = True
    cache.clear()  # forget the visit of the fixture
    warmup.warm_up(WSGIHandler())
    client = Client()
    assert client.get("/").headers["X-Cache"] == "MISS"
    assert client.get("/").headers["X-Cache"] == "HIT"  # the cache does store this page


def test_worker_start__survives_a_broken_template(
    home_page: HomePage, served, settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "casse.html").write_text("{% if %}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    with caplog.at_level(logging.INFO, logger="ops.warmup"):
        gunicorn_config.post_worker_init(worker(WSGIHandler()))
    messages = [record.getMessage() for record in caplog.records]
    assert any(message.startswith("Préchauffage : casse.html") for message in messages)
    assert any("3 pages" in message for message in messages), messages  # went on


def test_worker_start__survives_an_application_that_fails(
    home_page: HomePage, served, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise RuntimeError("panne")

    gunicorn_config.post_worker_init(worker(broken))
    assert "panne" in caplog.text


def test_worker_start__tells_the_arbiter_it_lives_and_stops_when_asked(
    served, caplog: pytest.LogCaptureFixture
) -> None:
    starting = worker(WSGIHandler())
    gunicorn_config.post_worker_init(starting)
    assert starting.beats.count > 50  # between two templates or pages: never killed as stuck
    stopping = worker(WSGIHandler())
    stopping.alive = False  # asked to exit (SIGTERM) while it starts
    with caplog.at_level(logging.INFO, logger="ops.warmup"):
        gunicorn_config.post_worker_init(stopping)
    assert "0 gabarits, 0 pages" in caplog.text


def test_warm_up__stops_when_its_time_is_spent(home_page: HomePage, served) -> None:
    report = warmup.warm_up(WSGIHandler(), budget=0)
    assert (report.templates, report.pages) == (0, [])
    assert report.failures[-1] == "temps écoulé avant /"


def test_warm_host__names_the_site_when_it_is_served(settings) -> None:
    settings.SITE_URL = "https://lecarburateur.fr"
    settings.ALLOWED_HOSTS = ["127.0.0.1", ".lecarburateur.fr"]
    assert warmup.warm_host() == "lecarburateur.fr"
    settings.ALLOWED_HOSTS = ["*.example.org", "127.0.0.1"]
    assert warmup.warm_host() == "127.0.0.1"
