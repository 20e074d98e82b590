"""``{% registration_box event %}``: the seats left and the form, on an event page."""

from __future__ import annotations

from typing import Any

from django import template

from wagtail.models import Site

from legal.links import get_legal_links
from legal.models import LegalKind
from programs.models import EventPage

from .. import services
from ..forms import RegistrationForm

register = template.Library()


@register.inclusion_tag("registrations/includes/box.html", takes_context=True)
def registration_box(context: template.Context, event: EventPage) -> dict[str, Any]:
    """The seats left (never stale: the page cache keeps the page only until they change)
    and the registration form while registration is open."""
    services.record_seats(event)
    state, left = services.state_and_seats(event)
    return {
        "request": context.get("request"),
        "event": event,
        "state": state,
        "seats_left": left,
        "waiting": state is services.State.WAITING_LIST,
        "form": RegistrationForm(event) if state.is_open else None,
    }


@register.simple_tag(takes_context=True)
def privacy_policy_link(context: template.Context) -> str:
    """The privacy policy's address (the footer's legal links, cached), or ""."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    for link in get_legal_links(site):
        if link.kind == LegalKind.PRIVACY:
            return link.url
    return ""
