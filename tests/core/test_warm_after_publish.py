"""After a publication, the worker that made the page's renditions renders the page and the
pages listing it once (``core.tasks.make_page_renditions``), so that the shared caches hold their
fragments before the first visitor; reads only, nothing sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from django.core import mail
from django.core.cache import cache
from django.test import Client

from core.tasks import make_page_renditions, paths_showing
from mailing.models import OutboxEmail
from pagecache.tags import FRAGMENT_PREFIX
from tests.factories.members import MemberPageFactory
from tests.factories.pages import ImageFactory
from tests.ops.test_warmup import rows_written

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(home_page: Any, settings) -> Any:  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PAGECACHE_FRAGMENTS = True
    page = MemberPageFactory(logo=ImageFactory(title="Logo", file__width=480))
    assert Client().get("/mentions-legales/").status_code == 200  # the settings rows exist
    cache.clear()
    return page


def fragments_stored() -> int:
    # The test settings' cache is Django's LocMemCache: its keys are its own dict's.
    return sum(FRAGMENT_PREFIX in key for key in cache._cache)  # type: ignore[attr-defined]


def test_paths_showing__the_page_then_its_sections_up_to_the_home_page(resident: Any) -> None:
    assert paths_showing(resident) == [resident.url, resident.get_parent().url, "/"]


def test_renditions_task__renders_the_page_and_its_lists_after_the_renditions(
    resident: Any,
) -> None:
    # Rendered after the renditions were made: a render needing one would have been refused.
    assert make_page_renditions(resident.pk) == [
        (resident.url, 200),
        (resident.get_parent().url, 200),
        ("/", 200),
    ]
    assert fragments_stored() > 0
    assert mail.outbox == []
    assert not OutboxEmail.objects.exists()


def test_renditions_task__run_again_writes_nothing(resident: Any) -> None:
    make_page_renditions(resident.pk)
    before = rows_written()
    assert [status for _path, status in make_page_renditions(resident.pk)] == [200, 200, 200]
    assert rows_written() == before


def test_publication__queues_the_renditions_and_the_render(
    resident: Any, settings, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    settings.RENDITIONS_AHEAD = True
    with django_capture_on_commit_callbacks(execute=True):
        resident.save_revision().publish()
    assert resident.logo.renditions.exists()
    assert fragments_stored() > 0
