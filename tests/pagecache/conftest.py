"""A demo site built once per test module, and helpers to read the page cache's verdict."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from django.core.management import call_command
from django.db import transaction
from django.test import Client


@pytest.fixture(scope="module")
def demo_site(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """The demo content, built once for the module and rolled back after its last test.

    Each test still runs in its own savepoint inside this transaction, so what a test
    publishes or deletes is gone for the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def verdict(client: Client, url: str, **extra: str) -> tuple[str, str]:
    """Fetch ``url``; return the page cache's verdict (HIT, MISS, BYPASS or "") and the HTML."""
    response = client.get(url, **extra)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response.get("X-Cache", ""), response.content.decode()
