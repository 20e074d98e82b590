"""Site-wide template helpers: French dates and numbers, breadcrumbs, absolute URLs, responsive
images (the menus are in ``home.templatetags.navigation_tags``).

Dates are written the way a French reader expects them, in Europe/Paris time whatever the
server's clock: « mardi 3 décembre 2026 à 18 h 00 », « jusqu'au vendredi 11 avril à 23 h 59 ».
"""

from __future__ import annotations

import datetime as dt
from typing import Any, overload

from django import template
from django.apps import apps
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from wagtail.images.models import AbstractImage, AbstractRendition, Picture
from wagtail.images.shortcuts import get_rendition_or_not_found, get_renditions_or_not_found
from wagtail.models import Page, PageQuerySet
from wagtail.templatetags.wagtailcore_tags import pageurl

from core.images import SOCIAL_SPEC, profile
from ops.site_url import absolute_url as site_absolute_url

register = template.Library()

NBSP = "\xa0"


@overload
def _local(value: dt.datetime) -> dt.datetime: ...
@overload
def _local(value: dt.date) -> dt.date: ...
def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """A datetime in the site's time zone (naive ones are taken as already local)."""
    if isinstance(value, dt.datetime):
        if timezone.is_naive(value):
            return value
        return timezone.localtime(value)
    return value


def _day(value: dt.date) -> str:
    """The day of the month, « 1er » on the first as French writes it."""
    return _("1er") if value.day == 1 else str(value.day)


def _format(value: dt.date, fmt: str) -> str:
    with translation.override("fr"):
        return dateformat.format(value, fmt)


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date)


@register.filter
def date_fr(value: Any, with_year: bool = True) -> str:
    """« mardi 3 décembre 2026 » (« mardi 3 décembre » with ``with_year`` false)."""
    if not _is_date(value):
        return ""
    value = _local(value)
    text = f"{_format(value, 'l')} {_day(value)} {_format(value, 'F')}"
    return f"{text} {value.year}" if with_year else text


@register.filter
def short_date_fr(value: Any, with_year: bool = True) -> str:
    """« 1er septembre 2017 », without the weekday (« 1er septembre » with ``with_year`` false):
    for dates that are not appointments, such as a publication or an arrival."""
    if not _is_date(value):
        return ""
    value = _local(value)
    text = f"{_day(value)} {_format(value, 'F')}"
    return f"{text} {value.year}" if with_year else text


@register.filter
def time_fr(value: Any) -> str:
    """« 18 h 00 »."""
    if not isinstance(value, dt.datetime | dt.time):
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return f"{value.hour} h {value.minute:02d}"


@register.filter
def datetime_fr(value: Any) -> str:
    """« mardi 3 décembre 2026 à 18 h 00 »."""
    if not isinstance(value, dt.datetime):
        return date_fr(value)
    return _("%(date)s à %(time)s") % {"date": date_fr(value), "time": time_fr(value)}


@register.filter
def until_fr(value: Any) -> str:
    """« jusqu'au vendredi 11 avril à 23 h 59 »; the year shows only if it is not this one."""
    if not isinstance(value, dt.datetime):
        return ""
    local = _local(value)
    same_year = local.year == timezone.localdate().year
    return _("jusqu'au %(date)s à %(time)s") % {
        "date": date_fr(local, with_year=not same_year),
        "time": time_fr(local),
    }


@register.filter
def datetime_range_fr(start: Any, end: Any) -> str:
    """« mardi 3 décembre 2026 de 18 h 00 à 20 h 00 », or both full dates over several days."""
    if not isinstance(start, dt.datetime):
        return ""
    if not isinstance(end, dt.datetime):
        return datetime_fr(start)
    start_local, end_local = _local(start), _local(end)
    if start_local.date() == end_local.date():
        return _("%(date)s de %(start)s à %(end)s") % {
            "date": date_fr(start_local),
            "start": time_fr(start_local),
            "end": time_fr(end_local),
        }
    return _("du %(start)s au %(end)s") % {
        "start": datetime_fr(start_local),
        "end": datetime_fr(end_local),
    }


@register.filter
def number_fr(value: Any) -> str:
    """« 1 800 »: thousands grouped with a non-breaking space, as French writes numbers."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return ""
    return f"{number:,}".replace(",", NBSP)


@register.filter
def area_fr(value: Any) -> str:
    """« 1 800 m² », never broken across two lines."""
    number = number_fr(value)
    return f"{number}{NBSP}m²" if number else ""


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
