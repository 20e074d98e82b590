"""Shared fixtures: the site's home page and logged-in clients."""

from __future__ import annotations

import pytest

from django.core.cache import cache

from home.models import HomePage
from tests.factories import reset_sequences
from tests.factories.pages import home_page as default_home_page

# Redis, Celery workers and an SMTP sink for the tests marked ``services``.
pytest_plugins = ["tests.services"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run transactional tests without ``serialized_rollback`` last (before the browser tests).

    Their flush re-creates content types and permissions (Django's post_migrate), which a later
    ``serialized_rollback`` test would then insert a second time and fail on. Django's own
    runner avoids this by ordering; pytest-django keeps file order, so we order here.
    """

    def flushes_without_restoring(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            return False
        return bool(marker.kwargs.get("transaction")) and not marker.kwargs.get(
            "serialized_rollback"
        )

    # Browser tests go last of all: Playwright keeps an event loop running in the main thread
    # for the rest of the session, and Django refuses database calls from such a thread.
    # Among the flushing tests, those that need the pristine copy (tests/services.py) come
    # first: the first of them takes the copy, which must be taken before any flush.
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None,
            flushes_without_restoring(item),
            flushes_without_restoring(item) and "_pristine_database" not in item.fixturenames,
        )
    )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache, so that cached menus never leak between tests."""
    cache.clear()


@pytest.fixture(autouse=True)
def _factory_sequences() -> None:
    """Each test numbers the pages and people it builds from 1, as if it ran alone."""
    reset_sequences()


@pytest.fixture
def page_cache_off(settings) -> None:  # type: ignore[no-untyped-def]
    """Render every request, cached fragments included: for tests that count what a page
    costs to build."""
    settings.PAGECACHE_ENABLED = False
    settings.PAGECACHE_FRAGMENTS = False


@pytest.fixture
def home_page(db: None) -> HomePage:
    """The home page the data migration creates as the default site's root."""
    return default_home_page()


@pytest.fixture
def admin_client_logged(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client
