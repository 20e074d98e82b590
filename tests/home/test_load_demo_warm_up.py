"""``load_demo`` makes every rendition ahead, then ends by rendering one page of each type once
(``ops.warmup``), reads only, so that a shared cache holds their fragments before the first
visitor, and that visitor makes no rendition.

Both are checked after one ``load_demo``: making every profile of the demo's images takes two
minutes, and CI's time is counted."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from django.core.management import call_command
from django.test import Client

from wagtail.images import get_image_model
from wagtail.models import Page

from tests.home.test_renditions_ahead import renditions_made_by

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

Rendition = get_image_model().get_rendition_model()


def test_load_demo__warms_every_page_type_up_and_leaves_no_rendition_for_the_first_visitor(
    settings, tmp_path: Path, caplog: pytest.LogCaptureFixture, client: Client
) -> None:
    settings.RENDITIONS_AHEAD = True
    settings.ALLOWED_HOSTS = ["testserver"]
    # A cache other processes read (a file here, Redis in production): worth filling.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    with caplog.at_level(logging.INFO, logger="ops.warmup"):
        call_command("load_demo", verbosity=0)
    summaries = [r.getMessage() for r in caplog.records if "gabarits" in r.getMessage()]
    assert len(summaries) == 1, summaries
    pages = int(summaries[0].split(", ")[1].split()[0])
    assert pages >= 10, summaries  # every page type of the demo, and the 404
    # A page may only fail for a write it needed (a rendition no profile makes ahead), which
    # the warm-up refuses and leaves to its first visitor.
    failures = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert all("WriteRefused" in failure for failure in failures), failures
    assert any((tmp_path / "cache").iterdir())

    # The warm-up never writes (a rendition it would need is refused above), so what the first
    # visitor finds was made ahead by load_demo itself.
    assert Rendition.objects.exists()
    one_of_each = {}
    for page in Page.objects.live().filter(depth__gt=1).specific():
        one_of_each.setdefault(type(page), page)
    assert len(one_of_each) >= 8, one_of_each
    for page in one_of_each.values():
        assert renditions_made_by(client, page.url) == 0, page.url
    assert renditions_made_by(client, "/cette-page-n-existe-pas/", 404) == 0


def test_load_demo__warms_nothing_up_with_a_cache_of_its_own_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="ops.warmup"):
        call_command("load_demo", verbosity=0)
    assert "gabarits" not in caplog.text
