"""Demo content: the three legal pages under the home page, from ``legal.content``."""

from __future__ import annotations

from wagtail.models import Page

from core.demo import DemoReport, ensure_page

from .content import LEGAL_PAGES, legal_page_fields
from .models import LegalPage


def load_legal_demo(home: Page, report: DemoReport) -> list[Page]:
    """Ensure the home page has its legal pages; a kind already present is left as it is.

    Looked up by kind rather than slug: the data migration may have created one, or an editor
    renamed it, and the footer needs exactly one of each.
    """
    pages: list[Page] = []
    for entry in LEGAL_PAGES:
        existing = LegalPage.objects.child_of(home).filter(kind=entry["kind"]).first()
        if existing is not None:
            report.existing += 1
            pages.append(existing)
            continue
        page = ensure_page(home, LegalPage, entry["slug"], legal_page_fields(entry), report)
        pages.append(page)
    return pages
