"""The outbox: every email but the newsletter issues is written here, then delivered once.

``queue_email`` writes the row inside the caller's transaction and asks Celery to send it once
the transaction commits. If the broker is unreachable at that moment nothing is lost: the
``drain_outbox`` beat task sends every row still unsent, and retries failed ones with a pause.
``deliver`` claims a row with a conditional update before sending, so a row is sent once even
if both paths reach it.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils import timezone

from ops.queueing import queue_after_commit

from .durable_write import record_after_delivery
from .models import OutboxEmail

logger = logging.getLogger(__name__)


def queue_email(email: OutboxEmail) -> OutboxEmail:
    """Save ``email`` in the outbox and hand it to Celery after the current transaction commits."""
    from .tasks import send_outbox_email  # the tasks module imports this one

    email.save()
    queue_after_commit(send_outbox_email, email.pk)
    return email


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
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
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
