"""The legal pages as the data migration leaves them in every test database."""

from __future__ import annotations

import pytest

from legal.models import LegalKind, LegalPage


@pytest.fixture
def legal_pages(home_page) -> dict[str, LegalPage]:  # type: ignore[no-untyped-def]
    """The site's three legal pages, by kind (the migration created them)."""
    pages = {page.kind: page for page in LegalPage.objects.child_of(home_page)}
    assert set(pages) == set(LegalKind.values)
    return pages
