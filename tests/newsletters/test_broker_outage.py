"""A subscription made while the broker is down gets its confirmation once it is back.

Real services, all on loopback and all started by the fixtures of ``tests.services``: a
redis-server of our own, a Celery worker subprocess with embedded beat, and an aiosmtpd server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from django.test import Client

from mailing.models import OutboxEmail
from subscriptions.models import Subscriber
from tests.services import RedisServer, SmtpInbox, wait_for

from .conftest import SIGNUP_URL, link_to, signup_data

# serialized_rollback: the data migrations' rows come back after the flush, and the flush does
# not recreate content types that a later serialized test would insert again.
pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_subscription_while_broker_is_down__confirmation_arrives_once_it_is_back(
    redis_server: RedisServer,
    celery_worker: Path,
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
) -> None:
    inbox, _port = smtp_inbox
    redis_server.stop()

    response = Client().post(SIGNUP_URL, signup_data(email="panne@example.fr"))

    assert response.status_code == 302
    outbox_row = OutboxEmail.objects.get()
    assert outbox_row.sent_at is None
    assert inbox.messages == []

    redis_server.start()
    [message] = wait_for(lambda: inbox.messages, "le courriel de confirmation")

    assert message["To"] == "panne@example.fr"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    wait_for(
        lambda: OutboxEmail.objects.filter(pk=outbox_row.pk, sent_at__isnull=False).exists(),
        "l'enregistrement de l'envoi",
    )
    text = next(
        part.get_payload(decode=True).decode()
        for part in message.walk()
        if part.get_content_type() == "text/plain"
    )

    class Received:
        body = text

    confirmation = Client().post(link_to(Received, "confirm"))  # type: ignore[arg-type]
    assert confirmation.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    assert len(inbox.messages) == 1  # sent once, although dispatch and drain both ran
