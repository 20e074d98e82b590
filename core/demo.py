"""Helpers the apps' demo loaders share: look an object up by a stable key, create it if missing.

A second run therefore changes nothing, and `make run`, which loads the demo at every start,
never overwrites what someone edited locally in the admin.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page

from core.illustrations import Scene, illustrate


@dataclass
class DemoReport:
    """How many demo objects a run created, and how many it found already there."""

    created: int = 0
    existing: int = 0


def ensure_page(
    parent: Page, model: type[Page], slug: str, fields: dict[str, Any], report: DemoReport
) -> Page:
    """Return the page ``parent/slug``, creating and publishing it from ``fields`` if missing."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        report.existing += 1
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.created += 1
    return page


def ensure_image(title: str, scene: Scene, report: DemoReport, caption: str = "") -> AbstractImage:
    """Return the image titled ``title``, drawing ``scene`` locally (never downloaded) if missing.

    The picture is a flat illustration (``core.illustrations``) seeded by the title, so a fresh
    database gets the very same pixels; ``caption`` (a resident's name on its logo) is set on it.
    """
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        report.existing += 1
        return existing
    picture = illustrate(scene, seed=title, caption=caption)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    image = image_model(title=title, file=ImageFile(buffer, name=f"demo-{slug}.png"))
    image.save()
    report.created += 1
    return image
