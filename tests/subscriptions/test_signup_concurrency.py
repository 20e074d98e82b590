"""Two sign-ups of one address at the same instant, on real connections.

The subscriber is inserted with ``INSERT … ON CONFLICT DO NOTHING`` and then read: the second
insert waits for the first transaction on the unique index (PostgreSQL) or the database lock
(SQLite), does nothing, and the read finds the first one's row. Each request still answers as
usual and its confirmation goes out once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from django.core import mail
from django.test import Client

from mailing.addresses import address_hash
from mailing.models import OutboxEmail
from subscriptions.models import ConsentEvent, Subscriber
from tests.reminders.test_concurrency import side_by_side, thread_database

from .conftest import SIGNUP_URL, signup_data

__all__ = ["thread_database"]  # a fixture, used by name

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 5


def test_two_signups_of_one_address_at_once__one_subscriber_and_one_confirmation_each(
    thread_database: Callable[[], None],
) -> None:
    lock = threading.Lock()
    statuses: list[int] = []
    for round_number in range(ROUNDS):
        data = signup_data(email=f"Marie.{round_number}@example.fr")

        def post(data: dict = data) -> None:
            status = Client().post(SIGNUP_URL, data).status_code
            with lock:
                statuses.append(status)

        side_by_side(post, thread_database)

    assert statuses == [302] * 2 * ROUNDS
    for round_number in range(ROUNDS):
        email_hash = address_hash(f"marie.{round_number}@example.fr")
        assert Subscriber.objects.filter(email_hash=email_hash).count() == 1
        assert ConsentEvent.objects.filter(address_hash=email_hash).count() == 2
        emails = OutboxEmail.objects.filter(address_hash=email_hash)
        assert [email.sent_at is not None for email in emails] == [True, True]
    sent_to = sorted(address for message in mail.outbox for address in message.to)
    assert sent_to == sorted(f"Marie.{n}@example.fr" for n in range(ROUNDS) for _ in range(2))
