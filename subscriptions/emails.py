"""Building emails to subscribers: personal links, one-click unsubscribe headers.

The rows it renders are queued and delivered by ``mailing.outbox``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from mailing.models import OutboxEmail
from ops.site_url import absolute_url as site_absolute_url

from .models import Subscriber
from .tokens import make_personal_token


def absolute_url(path: str) -> str:
    """``path`` on NEWSLETTERS_BASE_URL when set, else on the site's address (SITE_URL)."""
    if settings.NEWSLETTERS_BASE_URL:
        return settings.NEWSLETTERS_BASE_URL.rstrip("/") + path
    return site_absolute_url(path)


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
        "subscriber": subscriber,
        "preferences_url": preferences_url(subscriber),
        "unsubscribe_url": unsubscribe_url(subscriber),
        "site_name": settings.WAGTAIL_SITE_NAME,
        **context,
    }
    prefix = f"newsletters/emails/{template}"
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", full_context).split())
    return OutboxEmail(
        kind=kind,
        address_hash=subscriber.email_hash,
        to=subscriber.email,
        subject=subject[:255],
        body_text=render_to_string(f"{prefix}.txt", full_context),
        body_html=render_to_string(f"{prefix}.html", full_context),
        headers=list_unsubscribe_headers(subscriber),
    )
