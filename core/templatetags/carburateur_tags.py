"""Site-wide template helpers: French dates and numbers (``core.french``), breadcrumbs,
absolute URLs, responsive images (the menus are in ``home.templatetags.navigation_tags``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps

from wagtail.images.models import AbstractImage, AbstractRendition, Picture
from wagtail.images.shortcuts import get_rendition_or_not_found, get_renditions_or_not_found
from wagtail.models import Page, PageQuerySet
from wagtail.templatetags.wagtailcore_tags import pageurl

from core.french import (
    area_fr,
    date_fr,
    datetime_fr,
    datetime_range_fr,
    number_fr,
    phone_uri,
    short_date_fr,
    time_fr,
    until_fr,
)
from core.images import SOCIAL_SPEC, profile
from core.structured_data import json_ld_script
from ops.site_url import absolute_url as site_absolute_url

register = template.Library()

# The French date and number filters live in core.french, where models use them too.
register.filter(date_fr)
register.filter(short_date_fr)
register.filter(phone_uri)
register.filter(time_fr)
register.filter(datetime_fr)
register.filter(until_fr)
register.filter(datetime_range_fr)
register.filter(number_fr)
register.filter(area_fr)


@register.filter
def page_type_name(page: Page) -> str:
    """The page's type as an editor names it, e.g. « Page standard »."""
    name = str(page.specific_class._meta.verbose_name) if page.specific_class else ""
    return name[:1].upper() + name[1:]


@register.simple_tag
def absolute_url(url: str) -> str:
    """``url`` made absolute on the site's address (SITE_URL), whatever host was asked."""
    return site_absolute_url(url) if url else ""


@register.simple_tag(takes_context=True)
def parent_url(context: template.Context, page: Page) -> str:
    """The URL of ``page``'s parent without loading it: a page's URL is its parent's followed
    by its slug (a move or a new slug changes both, and bumps ``urls`` in the page cache)."""
    url = pageurl(context, page)
    return url[: url.rstrip("/").rfind("/") + 1]


@register.simple_tag(takes_context=True)
def site_setting(context: template.Context, label: str) -> Any:
    """The site setting ``label`` (« app.Model ») of the request's site, read through its
    ``for_request`` each time: the ``settings`` context processor keeps the first value it
    reads, so a cached fragment reading it afterwards (the footer) would not record that it
    depends on it. Use this tag in a page's body."""
    request = context.get("request")
    if request is None:
        return None
    return apps.get_model(label).for_request(request)


@register.simple_tag
def breadcrumb_ancestors(page: Page) -> PageQuerySet:
    """The live pages above ``page``, from the site's home page down (one query)."""
    return page.get_ancestors().filter(depth__gt=1).live()


def _distinct_widths(renditions: dict[str, AbstractRendition]) -> dict[str, AbstractRendition]:
    """Drop a rendition as wide as an earlier one of its format: Wagtail never enlarges an
    image, so a size above the original's gives the original's width again."""
    seen: set[tuple[str, int]] = set()
    kept = {}
    for spec, rendition in renditions.items():
        key = (spec.rsplit("format-", 1)[-1], rendition.width)
        if key not in seen:
            seen.add(key)
            kept[spec] = rendition
    return kept


@register.simple_tag
def responsive_image(
    image: AbstractImage | None, name: str, eager: bool = False, **attrs: Any
) -> str:
    """``image`` as a ``<picture>`` in AVIF, WebP and a fallback format, at the sizes of
    profile ``name`` (see ``core.images``), with ``width``/``height`` so nothing shifts.

    Images load lazily and decode off the main thread unless ``eager`` is true: pass it for
    the image a visitor sees first (a page's main image, the first cards of a listing).
    """
    if not image:
        return ""
    responsive = profile(name)
    renditions = _distinct_widths(get_renditions_or_not_found(image, responsive.filters))
    attrs = {"sizes": responsive.sizes, **attrs}
    if not eager:
        attrs = {"loading": "lazy", "decoding": "async", **attrs}
    return Picture(renditions, attrs).__html__()


@register.simple_tag
def social_image(image: AbstractImage) -> AbstractRendition:
    """The rendition of ``image`` that social networks show for a link to the page
    (``core.images.SOCIAL_SPEC``, made ahead of the first visit with the profiles)."""
    return get_rendition_or_not_found(image, SOCIAL_SPEC)


@register.simple_tag(takes_context=True)
def structured_data(context: template.Context, page: Page) -> str:
    """The page's structured data for search engines (``BasePage.structured_data``) as a
    JSON-LD script, or nothing for a page type that has none."""
    describe = getattr(page, "structured_data", None)
    request = context.get("request")
    data = describe(request) if describe is not None and request is not None else None
    return json_ld_script(data) if data else ""
