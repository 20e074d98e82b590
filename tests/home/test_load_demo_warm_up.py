"""``load_demo`` ends by rendering one page of each type once (``ops.warmup``), reads only, so
that a shared cache holds their fragments before the first visitor."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from django.core.management import call_command

from wagtail.images import get_image_model

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

Rendition = get_image_model().get_rendition_model()


def test_load_demo__warms_every_page_type_up_with_a_shared_cache(
    settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
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


def test_load_demo__warms_nothing_up_with_a_cache_of_its_own_process(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="ops.warmup"):
        call_command("load_demo", verbosity=0)
    assert "gabarits" not in caplog.text
