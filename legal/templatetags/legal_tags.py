"""``{% legal_links %}``: the footer's links to the legal pages (``legal.links``)."""

from __future__ import annotations

from typing import Any

from django import template

from wagtail.models import Site

from legal.links import get_legal_links

register = template.Library()


@register.inclusion_tag("legal/includes/legal_links.html", takes_context=True)
def legal_links(context: template.Context) -> dict[str, Any]:
    """Links to the legal notice, the privacy policy and the accessibility statement."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    return {"links": get_legal_links(site)}
