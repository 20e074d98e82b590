"""Building emails to subscribers: personal links, one-click unsubscribe headers.

The rows it renders are queued and delivered by ``mailing.outbox``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse

from wagtail import hooks

from mailing.models import OutboxEmail
from ops.site_url import absolute_url as site_absolute_url

from .hooks import EMAIL_POSTAL_ADDRESS
from .models import Subscriber
from .tokens import make_personal_token

# The logo at the top of every HTML email: a PNG, as mail clients do not show SVG (drawn by
# ``manage.py draw_email_logo``, at twice the size the layout declares).
EMAIL_LOGO = "img/logo-email.png"
# Where the hub is, when no app answers the EMAIL_POSTAL_ADDRESS hook.
DEFAULT_POSTAL_ADDRESS = "Marseille 15e"


def absolute_url(path: str) -> str:
    """``path`` on NEWSLETTERS_BASE_URL when set, else on the site's address (SITE_URL)."""
    if settings.NEWSLETTERS_BASE_URL:
        return settings.NEWSLETTERS_BASE_URL.rstrip("/") + path
    return site_absolute_url(path)


def postal_address() -> str:
    """The hub's postal address on one line, for the footer of every email."""
    for answer in hooks.get_hooks(EMAIL_POSTAL_ADDRESS):
        if address := answer():
            return str(address)
    return DEFAULT_POSTAL_ADDRESS


def layout_context() -> dict[str, Any]:
    """What the shared email layout (``newsletters/emails/base.html``) shows around any body."""
    logo = static(EMAIL_LOGO)
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": absolute_url("/"),
        # Static files may already be on a host of their own (STATIC_URL): kept as they are.
        "logo_url": absolute_url(logo) if logo.startswith("/") and logo[1:2] != "/" else logo,
        "postal_address": postal_address(),
    }


def confirmation_url(token: str) -> str:
    return absolute_url(reverse("subscriptions:confirm", args=[token]))


def preferences_url(subscriber: Subscriber) -> str:
    token = make_personal_token(subscriber.public_id)
    return absolute_url(reverse("subscriptions:preferences", args=[token]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = make_personal_token(subscriber.public_id)
    return absolute_url(reverse("subscriptions:unsubscribe", args=[token]))


def list_unsubscribe_headers(subscriber: Subscriber) -> dict[str, str]:
    """RFC 8058 headers: mail clients show an unsubscribe button that POSTs to our URL."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscriber)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def render_email(
    subscriber: Subscriber, template: str, context: dict[str, Any], *, kind: str
) -> OutboxEmail:
    """Render ``newsletters/emails/<template>{_subject.txt,.txt,.html}`` into an unsaved row.

    Every email gets the personal preferences link and the one-click unsubscribe headers.
    """
    full_context = {
        **layout_context(),
        "subscriber": subscriber,
        "email": subscriber.email,
        "preferences_url": preferences_url(subscriber),
        "unsubscribe_url": unsubscribe_url(subscriber),
        **context,
    }
    email = render_outbox_email(
        f"newsletters/emails/{template}",
        full_context,
        kind=kind,
        address_hash=subscriber.email_hash,
        to=subscriber.email,
    )
    email.headers = list_unsubscribe_headers(subscriber)
    return email


def render_outbox_email(
    prefix: str, context: dict[str, Any], *, kind: str, address_hash: str, to: str
) -> OutboxEmail:
    """Render ``<prefix>_subject.txt``, ``<prefix>.txt`` and ``<prefix>.html`` into an unsaved
    outbox row (the subject on one line, as a header must be)."""
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
    return OutboxEmail(
        kind=kind,
        address_hash=address_hash,
        to=to,
        subject=subject[:255],
        body_text=render_to_string(f"{prefix}.txt", context),
        body_html=render_to_string(f"{prefix}.html", context),
    )
