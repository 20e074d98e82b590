"""``load_demo`` gives the home page its legal pages and, run again, changes nothing."""

from __future__ import annotations

import pytest

from django.core.management import call_command

from home.models import HomePage
from legal.models import LegalKind, LegalPage


def _snapshot() -> list[tuple[str, str, int]]:
    return sorted(LegalPage.objects.values_list("kind", "slug", "pk"))


@pytest.mark.django_db
def test_load_demo__keeps_the_pages_the_migration_created(home_page: HomePage) -> None:
    before = _snapshot()
    call_command("load_demo", verbosity=0)
    assert _snapshot() == before


@pytest.mark.django_db
def test_load_demo__creates_missing_pages_with_a_revision_then_is_idempotent(
    home_page: HomePage,
) -> None:
    LegalPage.objects.all().delete()
    call_command("load_demo", verbosity=0)
    pages = LegalPage.objects.child_of(home_page)
    assert sorted(pages.values_list("kind", flat=True)) == sorted(LegalKind.values)
    assert all(page.live and page.live_revision_id for page in pages)
    before = _snapshot()
    call_command("load_demo", verbosity=0)
    assert _snapshot() == before
