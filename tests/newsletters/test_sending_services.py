"""Exactly once with real services: a Celery worker (prefork, 2 processes) over a Redis of our
own, the test database, and an aiosmtpd sink that counts what it accepts.

A few hundred subscribers each: enough for several chunks in flight at once, small enough to
keep the suite quick.
"""

from __future__ import annotations

import smtplib
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from django.core.mail import get_connection
from django.utils import timezone

from wagtail.models import Site

from home.models import HomePage
from mailing.models import Suppression
from mailing.throttle import Throttle
from newsletters import sending
from newsletters.models import Delivery, Send
from subscriptions.models import Subscriber, Topic
from tests.services import CeleryWorker, RedisServer, SmtpInbox, wait_for

from .issues import assert_exactly_one_each, make_issue, make_subscribers, sent_rows

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def home_page(worker_database: str) -> HomePage:
    """The home page, read from the database the worker also uses."""
    return Site.objects.get(is_default_site=True).root_page.specific


SUBSCRIBERS = 300
WORKER_SETTINGS = {
    "NEWSLETTERS_CHUNK_SIZE": 40,
    "NEWSLETTERS_DELIVERY_LEASE_SECONDS": 4,
    "NEWSLETTERS_RETRY_BASE_SECONDS": 1,
    "NEWSLETTERS_STALL_SECONDS": 3,
    "CELERY_BROKER_TRANSPORT_OPTIONS": {"visibility_timeout": 4},
    "CELERY_BEAT_SCHEDULE": {
        "tick": {"task": "newsletters.tasks.tick_sends", "schedule": 1.0},
    },
}


def test_a_chunk_delivered_twice_concurrently_sends_one_copy_each(
    home_page: HomePage,
    topics: dict[str, Topic],
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
    settings: Any,
) -> None:
    inbox, _port = smtp_inbox
    settings.NEWSLETTERS_CHUNK_SIZE = 40
    subscribers = make_subscribers(SUBSCRIBERS, topics["actualites"])
    worker_factory(concurrency=2, settings=WORKER_SETTINGS)

    send = sending.create_send(make_issue(home_page, topics["actualites"]), None)
    wait_for(lambda: Send.objects.get(pk=send.pk).status != "scheduled", "le début de l'envoi")
    # Every chunk message is published a second time, as a redelivery or a retry would.
    assert sending.dispatch_chunks(send.pk) >= 1

    wait_for(lambda: Send.objects.get(pk=send.pk).status == "done", "la fin de l'envoi")
    wait_for(lambda: len(inbox.messages) >= SUBSCRIBERS, "les courriels")
    assert_exactly_one_each(inbox, subscribers)
    assert sent_rows(send) == SUBSCRIBERS
    ids = {m["Message-ID"] for m in inbox.messages}
    assert len(ids) == SUBSCRIBERS


def test_a_worker_killed_mid_send_and_restarted_delivers_exactly_one_copy_each(
    home_page: HomePage,
    topics: dict[str, Topic],
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
) -> None:
    inbox, _port = smtp_inbox
    subscribers = make_subscribers(SUBSCRIBERS, topics["actualites"])
    inbox.hold_at = SUBSCRIBERS // 2  # the worker is in the middle of a message here
    worker = worker_factory(concurrency=2, settings=WORKER_SETTINGS)

    send = sending.create_send(make_issue(home_page, topics["actualites"]), None)
    # Both processes held in DATA: neither is between a 250 and its "sent" mark.
    wait_for(lambda: inbox.held_count >= 2, "la moitié de l'envoi")
    worker.kill()
    inbox.release(accept=False)  # the messages in flight were never acknowledged
    accepted_before_the_kill = len(inbox.messages)
    assert 0 < accepted_before_the_kill < SUBSCRIBERS
    assert Delivery.objects.filter(send=send, state="sending").exists()

    worker.start()

    wait_for(lambda: Send.objects.get(pk=send.pk).status == "done", "la fin de l'envoi")
    assert_exactly_one_each(inbox, subscribers)
    assert sent_rows(send) == SUBSCRIBERS


@pytest.fixture
def throttled_send(
    home_page: HomePage,
    topics: dict[str, Topic],
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
) -> tuple[Send, list[Subscriber], SmtpInbox]:
    """A send to 120 subscribers at 40 a second, caught once 20 messages have arrived."""
    inbox, _port = smtp_inbox
    subscribers = make_subscribers(120, topics["actualites"])
    worker_factory(concurrency=2, settings={**WORKER_SETTINGS, "NEWSLETTERS_SEND_RATE": 40})
    send = sending.create_send(make_issue(home_page, topics["actualites"]), None)
    wait_for(lambda: len(inbox.messages) >= 20, "les premiers courriels")
    return send, subscribers, inbox


def test_pause_stops_the_workers_and_resume_finishes_without_duplicates(
    throttled_send: tuple[Send, list[Subscriber], SmtpInbox],
) -> None:
    send, subscribers, inbox = throttled_send

    assert sending.pause(send)
    wait_for(
        lambda: not Delivery.objects.filter(send=send, state="sending").exists(),
        "l'arrêt des workers",
    )
    paused_at = len(inbox.messages)
    assert paused_at == sent_rows(send) < 120
    assert sending.progress(send).queued == 120 - paused_at

    assert sending.resume(send)

    wait_for(lambda: Send.objects.get(pk=send.pk).status == "done", "la fin de l'envoi")
    assert_exactly_one_each(inbox, subscribers)


def test_cancel_mid_send_leaves_the_rest_unsent(
    throttled_send: tuple[Send, list[Subscriber], SmtpInbox],
) -> None:
    send, _subscribers, inbox = throttled_send

    assert sending.cancel(send)
    wait_for(
        lambda: not Delivery.objects.filter(send=send, state__in=["sending", "queued"]).exists(),
        "l'arrêt des workers",
    )

    sent = sent_rows(send)
    assert len(inbox.messages) == sent < 120
    assert Delivery.objects.filter(send=send, state="cancelled").count() == 120 - sent
    assert len(Counter(inbox.recipients())) == sent


def test_throttle_shared_through_redis_spaces_reservations(
    redis_server: RedisServer, settings: Any
) -> None:
    settings.NEWSLETTERS_THROTTLE_REDIS_URL = redis_server.url
    throttle = Throttle(20, name="test-redis")

    first = throttle.reserve(10)
    second = throttle.reserve(10)

    assert first <= 0.05
    assert 0.4 <= second <= 0.55


# ---------------------------------------------------------------------------- SMTP refusals


@pytest.fixture
def smtp_backend(settings: Any, smtp_inbox: tuple[SmtpInbox, int]) -> SmtpInbox:
    """This process sends through Django's SMTP backend to the sink (tasks run eagerly)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_inbox[1]
    settings.NEWSLETTERS_RETRY_BASE_SECONDS = 0
    settings.NEWSLETTERS_SUPPRESS_AFTER_FAILURES = 1
    return smtp_inbox[0]


def test_transient_refusals_are_retried_and_permanent_ones_fail_and_suppress(
    home_page: HomePage, topics: dict[str, Topic], smtp_backend: SmtpInbox
) -> None:
    inbox = smtp_backend
    subscribers = make_subscribers(5, topics["actualites"])
    busy, greylisted, unknown = (s.email for s in subscribers[:3])

    def refuse(stage: str, address: str, attempt: int) -> str | None:
        if stage == "data" and address == busy and attempt == 1:
            return "421 4.3.2 Service busy, closing connection"
        if stage == "rcpt" and address == greylisted and attempt <= 2:
            return "451 4.7.1 Greylisted, try again later"
        if stage == "rcpt" and address == unknown:
            return "550 5.1.1 No such user"
        return None

    inbox.refuse = refuse

    send = sending.create_send(make_issue(home_page, topics["actualites"]), None)

    send.refresh_from_db()
    assert send.status == Send.Status.DONE
    assert sorted(inbox.recipients()) == sorted(s.email for s in subscribers if s.email != unknown)
    rows = {
        d.subscriber.email: d
        for d in Delivery.objects.filter(send=send).select_related("subscriber")
    }
    assert (rows[busy].state, rows[busy].attempts) == ("sent", 2)
    assert (rows[greylisted].state, rows[greylisted].attempts) == ("sent", 3)
    assert (rows[unknown].state, rows[unknown].smtp_code) == ("failed", 550)
    assert Suppression.objects.filter(
        address_hash=subscribers[2].email_hash, reason="bounced"
    ).exists()
    assert sending.progress(send).failed == 1


def test_transient_refusals_back_off_exponentially_then_give_up(
    home_page: HomePage, topics: dict[str, Topic], smtp_backend: SmtpInbox, settings: Any
) -> None:
    settings.NEWSLETTERS_RETRY_BASE_SECONDS = 60
    settings.NEWSLETTERS_MAX_ATTEMPTS = 3
    [subscriber] = make_subscribers(1, topics["actualites"])
    smtp_backend.refuse = lambda stage, address, attempt: (
        "452 4.2.2 Mailbox full" if stage == "rcpt" else None
    )
    send = sending.create_send(make_issue(home_page, topics["actualites"]), None)
    row = Delivery.objects.get(send=send)
    delays = []
    for _attempt in range(2):
        row.refresh_from_db()
        assert row.state == "queued"
        delays.append(round((row.not_before - timezone.now()).total_seconds()))
        Delivery.objects.filter(pk=row.pk).update(not_before=None)
        sending.send_chunk(send.pk, row.pk, row.pk)

    row.refresh_from_db()
    assert delays[0] in range(55, 61) and delays[1] in range(115, 121)
    assert (row.state, row.attempts, row.smtp_code) == ("failed", 3, 452)
    assert smtp_backend.messages == []
    assert not Suppression.objects.filter(address_hash=subscriber.email_hash).exists()


def test_resend_to_failed_only_mails_the_failed_addresses_again(
    home_page: HomePage, topics: dict[str, Topic], smtp_backend: SmtpInbox, settings: Any
) -> None:
    settings.NEWSLETTERS_SUPPRESS_AFTER_FAILURES = 5  # a one-off refusal, not a bad address
    subscribers = make_subscribers(3, topics["actualites"])
    refused = subscribers[0].email
    smtp_backend.refuse = lambda stage, address, attempt: (
        "554 5.7.1 Rejected" if stage == "data" and address == refused and attempt == 1 else None
    )
    send = sending.create_send(make_issue(home_page, topics["actualites"]), None)
    assert len(smtp_backend.messages) == 2
    assert Send.objects.get(pk=send.pk).status == Send.Status.DONE

    assert sending.resend_failed(Send.objects.get(pk=send.pk)) == 1

    assert Counter(smtp_backend.recipients()) == Counter(s.email for s in subscribers)
    assert Send.objects.get(pk=send.pk).status == Send.Status.DONE


def test_connection_lost_mid_chunk_is_transient(
    home_page: HomePage,
    topics: dict[str, Topic],
    smtp_backend: SmtpInbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    subscribers = make_subscribers(3, topics["actualites"])
    calls = {"n": 0}
    backend_class = type(get_connection())
    original = backend_class.send_messages

    def drop_second(self: Any, messages: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return original(self, messages)

    monkeypatch.setattr(backend_class, "send_messages", drop_second)

    sending.create_send(make_issue(home_page, topics["actualites"]), None)

    assert_exactly_one_each(smtp_backend, subscribers)
    assert Delivery.objects.filter(attempts=2, state="sent").count() == 1
