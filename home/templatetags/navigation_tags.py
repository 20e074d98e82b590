"""The header menu and the footer links, from the navigation settings (``home.navigation``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest

from wagtail.models import Site

from home.navigation import MenuLink, get_navigation

register = template.Library()


def _site(request: HttpRequest | None) -> Site | None:
    return Site.find_for_request(request) if request is not None else None


def _link_state(link: MenuLink, path: str) -> str:
    """``page`` for the current page, ``true`` inside its section, else empty."""
    if path == link.url:
        return "page"
    if link.url != "/" and path.startswith(link.url):
        return "true"
    return ""


def _menu_context(context: template.Context, which: str) -> dict[str, Any]:
    request = context.get("request")
    navigation = get_navigation(_site(request))
    path = request.path if request is not None else ""
    links = getattr(navigation, which)
    return {"links": [(link, _link_state(link, path)) for link in links], "request": request}


@register.inclusion_tag("includes/navigation.html", takes_context=True)
def navigation(context: template.Context) -> dict[str, Any]:
    """The header menu, from the navigation settings."""
    return _menu_context(context, "header")


@register.inclusion_tag("includes/footer_navigation.html", takes_context=True)
def footer_navigation(context: template.Context) -> dict[str, Any]:
    """The footer links, from the navigation settings."""
    return _menu_context(context, "footer")
