"""Building emails to subscribers, queueing them in the outbox and delivering them.

``queue_email`` writes the outbox row inside the caller's transaction and asks Celery to send
it once the transaction commits. If the broker is unreachable at that moment nothing is lost:
the ``drain_outbox`` beat task sends every row still unsent. ``deliver`` claims a row with a
conditional update before sending, so a row is sent once even if both paths reach it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ops.site_url import absolute_url as site_absolute_url

from .ledger import record_after_delivery
from .models import OutboxEmail, Subscriber
from .tokens import make_personal_token

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """``path`` on NEWSLETTERS_BASE_URL when set, else on the site's address (SITE_URL)."""
    if settings.NEWSLETTERS_BASE_URL:
        return settings.NEWSLETTERS_BASE_URL.rstrip("/") + path
    return site_absolute_url(path)


def confirmation_url(token: str) -> str:
    return absolute_url(reverse("newsletters:confirm", args=[token]))


def preferences_url(subscriber: Subscriber) -> str:
    token = make_personal_token(subscriber.public_id)
    return absolute_url(reverse("newsletters:preferences", args=[token]))


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = make_personal_token(subscriber.public_id)
    return absolute_url(reverse("newsletters:unsubscribe", args=[token]))


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


def queue_email(email: OutboxEmail) -> OutboxEmail:
    """Save ``email`` in the outbox and dispatch it after the current transaction commits."""
    email.save()
    transaction.on_commit(lambda: dispatch(email.pk))
    return email


def dispatch(outbox_id: int) -> None:
    """Hand one outbox row to Celery; if the broker is down, the beat drain will send it."""
    from .tasks import send_outbox_email

    try:
        send_outbox_email.apply_async(args=(outbox_id,), retry=False)
    except Exception:
        logger.warning(
            "Courriel %s laissé dans la boîte d'envoi : envoi immédiat impossible.",
            outbox_id,
            exc_info=True,
        )


def deliver(outbox_id: int) -> bool:
    """Send one outbox row if nobody else has; return whether this call sent it."""
    if not OutboxEmail.objects.claim(outbox_id):
        return False
    email = OutboxEmail.objects.get(pk=outbox_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=email.headers,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        with get_connection() as connection:
            connection.send_messages([message])
    except Exception as error:
        # Back off: the claim is kept a little longer with each failed attempt.
        retry_at = timezone.now() + timedelta(minutes=min(5 * email.attempts, 60))
        OutboxEmail.objects.filter(pk=outbox_id).update(
            claimed_until=retry_at, last_error=str(error)[:2000]
        )
        logger.warning("Échec de l'envoi du courriel %s : %s", outbox_id, error)
        return False
    sent_at = timezone.now()
    record_after_delivery(
        lambda: OutboxEmail.objects.filter(pk=outbox_id).update(
            sent_at=sent_at, claimed_until=None, last_error=""
        ),
        f"le courriel {outbox_id}",
    )
    return True


def drain_outbox(limit: int = 200) -> int:
    """Send unsent rows (oldest first); return how many this call sent."""
    sent = 0
    for outbox_id in (
        OutboxEmail.objects.due().order_by("created_at").values_list("pk", flat=True)[:limit]
    ):
        sent += deliver(outbox_id)
    return sent
