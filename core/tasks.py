"""Renditions made ahead of the first visit, by a worker (see ``core.images``), and the pages
showing a published page rendered once after them, so that the shared caches (fragments,
rendition URLs) are filled before its first visitor (``ops.warmup``).

Both tasks take ids and look the rows up, make what is missing and nothing else: run twice, or
twice at once, they make each rendition once (Wagtail's ``get_renditions`` skips the ones that
exist, and a row made meanwhile by a concurrent run is kept rather than duplicated).
"""

from __future__ import annotations

from celery import shared_task

from wagtail.images import get_image_model
from wagtail.models import Page

from ops.warmup import warm_paths

from .images import generate, images_used_by


@shared_task
def make_image_renditions(image_id: int) -> None:
    """Every profile's renditions of image ``image_id`` (gone since: nothing to do)."""
    generate(get_image_model().objects.filter(pk=image_id))


@shared_task
def make_page_renditions(page_id: int) -> list[tuple[str, int]]:
    """Every profile's renditions of the images page ``page_id`` shows as published, then the
    page and the pages above it that list it (its section, the home page) rendered once, reads
    only; returns what was rendered, ``(path, status)``."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return []
    generate(images_used_by(page.specific))
    return warm_paths(paths_showing(page)).pages


def paths_showing(page: Page) -> list[str]:
    """The live, public pages a visitor sees ``page`` on: itself and its ancestors under the
    site's root (a section lists its children, the home page the newest of them)."""
    pages = (
        Page.objects.ancestor_of(page, inclusive=True)
        .live()
        .public()
        .filter(depth__gt=1)
        .order_by("-depth")
    )
    paths = []
    for shown in pages:
        url = shown.get_url()
        if url and url.startswith("/"):
            paths.append(url)
    return paths
