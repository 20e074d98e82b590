"""Renditions made ahead of the first visit, by a worker (see ``core.images``).

Both tasks take ids and look the rows up, make what is missing and nothing else: run twice, or
twice at once, they make each rendition once (Wagtail's ``get_renditions`` skips the ones that
exist, and a row made meanwhile by a concurrent run is kept rather than duplicated).
"""

from __future__ import annotations

from celery import shared_task

from wagtail.images import get_image_model
from wagtail.models import Page

from .images import generate, images_used_by


@shared_task
def make_image_renditions(image_id: int) -> None:
    """Every profile's renditions of image ``image_id`` (gone since: nothing to do)."""
    generate(get_image_model().objects.filter(pk=image_id))


@shared_task
def make_page_renditions(page_id: int) -> None:
    """Every profile's renditions of the images page ``page_id`` shows as published."""
    page = Page.objects.filter(pk=page_id).first()
    if page is not None:
        generate(images_used_by(page.specific))
