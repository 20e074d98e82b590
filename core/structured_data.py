"""Structured data: what a page is, told to search engines in schema.org terms (JSON-LD).

A page type describes itself with ``BasePage.structured_data(request)``, a dict built from what
the page already loaded (its fields, its ``serve_select_related`` rows, images whose renditions
Wagtail keeps in the cache): the ``<script type="application/ld+json">`` that ``base.html``
puts in the ``<head>`` then costs no query. This module holds the parts every type shares: the
script element, dates, absolute URLs, images, and the organisation behind the site.

The organisation's address and contact details are site settings, which live in the top layer
(``home``); it offers them through the ``STRUCTURED_DATA_ORGANIZATION`` setting, which names a
callable returning the Organization (see ``home.structured_data``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

from wagtail.images.models import AbstractImage
from wagtail.images.shortcuts import get_rendition_or_not_found
from wagtail.models import Page

from ops.site_url import absolute_url

from .images import SOCIAL_SPEC

SCHEMA = "https://schema.org"
#: The organisation's logo: a square raster image, as search engines want it (at least
#: 112 pixels wide; SVG is not taken everywhere).
LOGO_PATH = "img/logo-512.png"

Data = dict[str, Any]

# Characters a JSON string may hold that would end the <script> element or open a comment in
# it ("</script>", "<!--"): written as JSON escapes, which mean the same characters to a parser.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: Data | list[Data]) -> SafeString:
    """``data`` as a ``<script type="application/ld+json">`` element, safe whatever text an
    editor put in it (a title containing ``</script>`` stays inside the string)."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return mark_safe(  # noqa: S308 - every "<", ">" and "&" is escaped above
        f'<script type="application/ld+json">{text.translate(_SCRIPT_ESCAPES)}</script>'
    )


def iso_datetime(moment: dt.datetime) -> str:
    """``moment`` in ISO 8601 with Marseille's offset, e.g. ``2026-12-03T18:00:00+01:00``."""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment).isoformat(timespec="seconds")


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day``, in Marseille."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def image_url(image: AbstractImage | None) -> str:
    """The absolute URL of ``image`` at the size sharing cards use (the ``og:image`` one), or
    "" without an image. Wagtail keeps the rendition in the cache: no query once made."""
    if image is None:
        return ""
    return absolute_url(get_rendition_or_not_found(image, SOCIAL_SPEC).url)


def page_url(page: Page, request: HttpRequest | None) -> str:
    """The page's address as its canonical link says it: on ``SITE_URL``."""
    return absolute_url(page.get_url(request) or "")


def logo_url() -> str:
    return absolute_url(static(LOGO_PATH))


def basic_organization() -> Data:
    """The organisation behind the site, from what every layer knows: name, address, logo."""
    return {
        "@type": "Organization",
        "@id": absolute_url("/") + "#organisation",
        "name": settings.WAGTAIL_SITE_NAME,
        "url": absolute_url("/"),
        "logo": {"@type": "ImageObject", "url": logo_url()},
    }


def organization(request: HttpRequest) -> Data:
    """The organisation in full (address, contact, social accounts), from the callable that
    ``STRUCTURED_DATA_ORGANIZATION`` names, or ``basic_organization()`` without one."""
    path = getattr(settings, "STRUCTURED_DATA_ORGANIZATION", "")
    provider: Callable[[HttpRequest], Data] = import_string(path) if path else _basic
    return provider(request)


def _basic(request: HttpRequest) -> Data:
    return basic_organization()


def reference(entity: Data) -> Data:
    """A short mention of ``entity`` (an author, a publisher, an organiser): its type, id,
    name, URL and logo, not its whole description again."""
    keys = ("@type", "@id", "name", "url", "logo")
    return {key: entity[key] for key in keys if key in entity}


def postal_address(street: str, postal_code: str, city: str) -> Data | None:
    """A schema.org PostalAddress in France, or None when no part of it is known."""
    if not (street or postal_code or city):
        return None
    return _without_empty(
        {
            "@type": "PostalAddress",
            "streetAddress": street,
            "postalCode": postal_code,
            "addressLocality": city,
            "addressCountry": "FR",
        }
    )


def place(name: str, address: Data | None) -> Data:
    """Where something happens: a named place, at a postal address when one is known."""
    return _without_empty({"@type": "Place", "name": name, "address": address})


# "120 €", "1 200 euros", "€ 35,50": an amount in euros, its thousands maybe spaced.
_AMOUNT = r"\d+(?:\s\d{3})*(?:[.,]\d{1,2})?"
_EURO_PRICE = re.compile(
    rf"€\s*(?P<before>{_AMOUNT})|(?P<after>{_AMOUNT})\s*(?:€|euros?\b)", re.IGNORECASE
)


def euro_offer(price: str, url: str) -> Data | None:
    """An Offer for the first amount in euros that ``price`` (an editor's text, such as
    « 120 € la journée ») names, or None when it names none: search engines want a number."""
    match = _EURO_PRICE.search(price)
    if match is None:
        return None
    amount = "".join((match.group("before") or match.group("after")).split()).replace(",", ".")
    return {"@type": "Offer", "price": amount, "priceCurrency": "EUR", "url": url}


def _without_empty(data: Data) -> Data:
    # False stays: "isAccessibleForFree": false says something.
    return {key: value for key, value in data.items() if value is False or value}


def with_context(data: Data) -> Data:
    """``data`` as a top-level JSON-LD object: schema.org's context first, empty values out."""
    return {"@context": SCHEMA, **_without_empty(data)}
