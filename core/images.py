"""Responsive images: the renditions each place of the site shows, named once.

A place (an article card, a resident's logo, an image in a page body) is a ``Responsive``
profile: a few sizes, each made in AVIF, WebP and a fallback format, and the ``sizes`` attribute
that tells the browser how wide the image is drawn. Templates render a profile with
``{% responsive_image image "article_card" %}`` (``core.templatetags.carburateur_tags``), which
turns it into a ``<picture>`` through Wagtail's own ``Picture``; listings prefetch the very same
filter specs with ``prefetch_specs`` so that a page of cards costs one rendition query, whatever
the number of cards.

Renditions are made the first time a page asks for them (Wagtail's ``get_renditions``), then
kept in the database and in the cache. Making one image's set for one profile costs a few
tenths of a second on this project's machines (AVIF encoding is most of it: 30 to 110 ms a
size, against 5 to 30 for WebP and 1 for JPEG), so the first visitor of a page showing images
nobody asked for yet waits that long per image; later visitors read them from the cache.
``manage.py generate_renditions`` makes them all ahead of time (after ``load_demo``, an import,
or a deploy that changes a profile).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Prefetch, QuerySet

from wagtail.images import get_image_model
from wagtail.images.models import Filter

#: Modern formats first: the browser takes the first ``<source>`` it can decode.
PHOTO_FORMATS = ("avif", "webp", "jpeg")
#: Logos keep their transparency in every format: PNG, not JPEG, is their fallback.
LOGO_FORMATS = ("avif", "webp", "png")


@dataclass(frozen=True)
class Responsive:
    """One place where an image shows: its sizes (the first is the ``src`` fallback, and
    gives the ``width`` and ``height`` attributes), its formats, and how wide it is drawn."""

    resizes: tuple[str, ...]
    sizes: str
    formats: tuple[str, ...] = PHOTO_FORMATS

    @property
    def specs(self) -> list[str]:
        """Every filter spec of the profile, grouped by format as Wagtail's ``Picture`` wants."""
        return [f"{resize}|format-{fmt}" for fmt in self.formats for resize in self.resizes]

    @cached_property
    def filters(self) -> list[Filter]:
        """The specs as Wagtail filters, made once: a filter parses its spec on first use, and
        a page of cards would otherwise parse the same specs for every card."""
        return [Filter(spec=spec) for spec in self.specs]


# Cards sit in a grid of columns at least 16rem wide inside a 72rem page: one column on a
# phone, two on a tablet, three or four on a computer.
CARD_SIZES = "(max-width: 36rem) calc(100vw - 2rem), (max-width: 60rem) 50vw, 24rem"

PROFILES: dict[str, Responsive] = {
    "article_card": Responsive(("fill-480x270", "fill-320x180", "fill-960x540"), CARD_SIZES),
    "program_card": Responsive(("fill-640x400", "fill-320x200", "fill-960x600"), CARD_SIZES),
    "article_hero": Responsive(
        ("width-960", "width-480", "width-1440"), "(max-width: 62rem) calc(100vw - 2rem), 60rem"
    ),
    # An image in a page body, as wide as the text column (42rem) at most.
    "body": Responsive(
        ("width-800", "width-400", "width-1200"), "(max-width: 44rem) calc(100vw - 2rem), 42rem"
    ),
    "resident_card": Responsive(("max-240x160", "max-480x320"), "15rem", LOGO_FORMATS),
    "resident_logo": Responsive(("max-400x300", "max-800x600"), "25rem", LOGO_FORMATS),
    "partner_card": Responsive(("max-320x200", "max-640x400"), "20rem", LOGO_FORMATS),
    "partner_logo": Responsive(("max-320x160", "max-640x320"), "20rem", LOGO_FORMATS),
    # Drawn 2rem high: twice that covers high-density screens; its width follows the logo's.
    "badge_logo": Responsive(("height-64",), "6rem", LOGO_FORMATS),
}


def profile(name: str) -> Responsive:
    """The profile called ``name``; an unknown name is a programming error."""
    return PROFILES[name]


def prefetch_specs(lookup: str, *names: str) -> Prefetch:
    """Prefetch, on the image reached by ``lookup`` (``logo``, ``listing_image``), the
    renditions of profiles ``names``, where Wagtail's ``get_renditions`` looks for them."""
    rendition_model = get_image_model().get_rendition_model()
    specs = [spec for name in names for spec in profile(name).specs]
    return Prefetch(
        f"{lookup}__renditions",
        queryset=rendition_model.objects.filter(filter_spec__in=specs),
        to_attr="prefetched_renditions",
    )


def images_with_renditions(*names: str) -> QuerySet[Any]:
    """Images with the renditions of profiles ``names`` prefetched."""
    specs = [spec for name in names for spec in profile(name).specs]
    return get_image_model().objects.prefetch_renditions(*specs)


def generate(images: Iterable[Any], names: Iterable[str] | None = None) -> int:
    """Make the missing renditions of ``images`` for profiles ``names`` (all by default);
    returns how many images were processed."""
    specs = [spec for name in (names or PROFILES) for spec in profile(name).specs]
    count = 0
    for image in images:
        image.get_renditions(*specs)
        count += 1
    return count
