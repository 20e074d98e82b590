"""The footer's links to the legal pages, resolved once and cached until something changes.

Every page's footer shows them, so their resolved form (labels and URLs, plain strings) is kept
with ``pagecache.memo`` per site: a warm render spends no query on them. The entry carries the
tags of what it read (legal pages of any type change, the site's root's children, URLs, sites)
and is rebuilt as soon as one of them is bumped.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from wagtail.models import Site

from pagecache import memo, model_tag, type_tag

from .models import Conformity, LegalKind, LegalPage

KIND_ORDER = {kind.value: position for position, kind in enumerate(LegalKind)}


@dataclass(frozen=True)
class LegalLink:
    """One resolved footer link."""

    kind: str
    label: str
    url: str


def _label(page: LegalPage) -> str:
    """The page's title; for the accessibility statement, the state RGAA asks footers to show."""
    if page.kind == LegalKind.ACCESSIBILITY and page.conformity:
        return _("Accessibilité : %(state)s") % {"state": Conformity(page.conformity).label}
    return page.title


def build_legal_links(site: Site) -> list[LegalLink]:
    """The site's live legal pages, one per kind, in the order of ``LegalKind``."""
    root = site.root_page
    found: dict[str, LegalLink] = {}
    for page in LegalPage.objects.live().child_of(root).order_by("path"):
        url = page.get_url(current_site=site)
        if url and page.kind not in found:
            found[page.kind] = LegalLink(kind=page.kind, label=_label(page), url=url)
    return sorted(found.values(), key=lambda link: KIND_ORDER.get(link.kind, len(KIND_ORDER)))


def get_legal_links(site: Site | None) -> list[LegalLink]:
    """The site's legal links, from the cache while no legal page, URL or site changed."""
    if site is None:
        return []
    # Publishing, unpublishing, saving or deleting a legal page bumps its type's tag; a moved
    # or renamed page (one of them, or the home page above them) bumps ``urls``.
    tags = [type_tag(LegalPage), "urls", model_tag(Site)]
    return memo(f"legal:links:{site.pk}", tags, lambda: build_legal_links(site))
