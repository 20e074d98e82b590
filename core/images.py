"""Responsive images: the renditions each place of the site shows, named once.

A place (an article card, a resident's logo, an image in a page body) is a ``Responsive``
profile: a few sizes, each made in AVIF, WebP and a fallback format, and the ``sizes`` attribute
that tells the browser how wide the image is drawn. Templates render a profile with
``{% responsive_image image "article_card" %}`` (``core.templatetags.carburateur_tags``), which
turns it into a ``<picture>`` through Wagtail's own ``Picture``; listings prefetch the very same
filter specs with ``prefetch_specs`` so that a page of cards costs one rendition query, whatever
the number of cards.

Renditions are made ahead of the first visit: a Celery task makes every profile's set when an
image is saved (a new file drops the old set first) and when a page is published, for the images
it shows (``core.tasks``, queued by ``core.signal_handlers``); ``load_demo`` makes them before it
returns, and ``manage.py generate_renditions`` makes them all (after an import, or a deploy that
changes a profile). Making one image's set costs a few seconds of a worker's time (AVIF encoding
is most of it: Pillow's default speed 6 takes 80 to 500 ms a size here, against 5 to 60 for
WebP and 1 to 3 for JPEG); a visitor who comes before the worker is done, or when the broker was
down, makes the missing ones as before. Wagtail keeps them in the database and in the cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Model, Prefetch, QuerySet

from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import ReferenceIndex

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
    # The home page's hero: half of the 72rem page beside the title on a computer, the full
    # width on a phone; 3:2 crops a landscape photo of the building or the residents evenly.
    "home_hero": Responsive(
        ("fill-720x480", "fill-480x320", "fill-1080x720"),
        "(max-width: 56em) calc(100vw - 2rem), 36rem",
    ),
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


#: The picture a link to a page shows on social networks (Open Graph): one size, in the
#: original's format, rendered by ``{% social_image %}``.
SOCIAL_SPEC = "fill-1200x630"


def profile(name: str) -> Responsive:
    """The profile called ``name``; an unknown name is a programming error."""
    return PROFILES[name]


def specs(names: Iterable[str]) -> list[str]:
    """The filter specs of profiles ``names``, in order."""
    return [spec for name in names for spec in profile(name).specs]


def every_spec() -> list[str]:
    """Every filter spec a public page may ask of an image: what is made ahead of time."""
    return [*specs(PROFILES), SOCIAL_SPEC]


def prefetch_specs(lookup: str, *names: str) -> Prefetch:
    """Prefetch, on the image reached by ``lookup`` (``logo``, ``listing_image``), the
    renditions of profiles ``names``, where Wagtail's ``get_renditions`` looks for them."""
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(
        f"{lookup}__renditions",
        queryset=rendition_model.objects.filter(filter_spec__in=specs(names)),
        to_attr="prefetched_renditions",
    )


def images_with_renditions(*names: str) -> QuerySet[Any]:
    """Images with the renditions of profiles ``names`` prefetched."""
    return get_image_model().objects.prefetch_renditions(*specs(names))


def generate(images: Iterable[Any], names: Iterable[str] | None = None) -> int:
    """Make the missing renditions of ``images`` for profiles ``names`` (by default, every
    spec of ``every_spec``); returns how many images were processed."""
    wanted = specs(names) if names else every_spec()
    count = 0
    for image in images:
        image.get_renditions(*wanted)
        count += 1
    return count


def images_used_by(instance: Model) -> QuerySet[Any]:
    """The images ``instance`` (a page) refers to, in its fields, StreamFields and inline
    children alike: those Wagtail's reference index finds, the ones its admin counts as usage."""
    image_model = get_image_model()
    # The index's own extraction, without reading the index table: that one is updated by a
    # task of its own, which may not have run yet. Both methods are private to Wagtail (8.0):
    # should an upgrade rename them, the publication test of tests/home/test_renditions_ahead.py
    # fails.
    image_type = ReferenceIndex._get_base_content_type(image_model).pk
    ids = {
        object_id
        for type_id, object_id, _model_path, _content_path in (
            ReferenceIndex._extract_references_from_object(instance)
        )
        if type_id == image_type
    }
    return image_model.objects.filter(pk__in=ids).order_by("pk")
