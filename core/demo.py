"""Helpers the apps' demo loaders share: look an object up by a stable key, create it if missing.

A second run therefore changes nothing, and `make run`, which loads the demo at every start,
never overwrites what someone edited locally in the admin.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from typing import Any

from PIL import Image as PillowImage
from PIL import ImageDraw

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page


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


def ensure_image(
    title: str, text: str, colour: tuple[int, int, int], report: DemoReport
) -> AbstractImage:
    """Return the image titled ``title``, generating it locally (never downloaded) if missing.

    The picture is a plain coloured card with ``text`` on it: enough for listings to look real
    without shipping or fetching photographs.
    """
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing is not None:
        report.existing += 1
        return existing
    picture = PillowImage.new("RGB", (960, 540), colour)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((40, 40, 920, 500), outline=(255, 255, 255), width=6)
    lines = textwrap.wrap(text, width=24)[:3]
    top = 270 - 35 * len(lines)
    for number, line in enumerate(lines):
        draw.text((80, top + 70 * number), line, fill=(255, 255, 255), font_size=56)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    image = image_model(title=title, file=ImageFile(buffer, name=f"demo-{slug}.png"))
    image.save()
    report.created += 1
    return image
