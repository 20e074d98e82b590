"""Shared fixtures: the site's home page and logged-in clients."""

from __future__ import annotations

import pytest

from django.core.cache import cache

from wagtail.models import Site

from home.models import HomePage


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache, so that cached menus never leak between tests."""
    cache.clear()


@pytest.fixture
def page_cache_off(settings) -> None:  # type: ignore[no-untyped-def]
    """Render every request: for tests that count what a page costs to build."""
    settings.PAGECACHE_ENABLED = False


@pytest.fixture
def home_page(db: None) -> HomePage:
    """The home page the data migration creates as the default site's root."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def admin_client_logged(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    return client
