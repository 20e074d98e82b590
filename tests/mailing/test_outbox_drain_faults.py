"""The outbox's drain task with real services: one message a burst, every email once.

A real Celery worker over a redis-server of the test's own, an aiosmtpd server in this process
that counts what it accepts, and a copy of the test database shared with the worker (see
``tests.services``). The emails are queued as every caller does (``queue_email``, each in a
transaction of its own, as sign-ups are), and the drain task ``queue_email`` asks for sends
them. Beat is off unless a test says otherwise, so that what arrives was sent by that drain,
not by beat's sweep.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable

import pytest
import redis

from mailing.addresses import address_hash
from mailing.models import OutboxEmail
from mailing.outbox import queue_email
from tests.services import CeleryWorker, RedisServer, SmtpInbox, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Short claims and visibility, beat's sweep every second: what a killed worker held is
# recovered in seconds, not in ten minutes (the claim) or an hour (the visibility).
FAST_RECOVERY = {
    "NEWSLETTERS_OUTBOX_CLAIM_SECONDS": 5,
    "CELERY_BROKER_TRANSPORT_OPTIONS": {"visibility_timeout": 4},
}
# A lone email leaves within this many seconds of its commit, worker already running.
PROMPT = 3.0


def queue(address: str) -> OutboxEmail:
    """One email through ``queue_email``, committed at once (each sign-up's own transaction)."""
    return queue_email(
        OutboxEmail(
            kind="test",
            address_hash=address_hash(address),
            to=address,
            subject="Confirmez votre inscription",
            body_text="Texte",
        )
    )


def queue_many(prefix: str, count: int) -> list[str]:
    """``count`` emails to addresses of their own, one sign-up after another; their addresses."""
    addresses = [f"{prefix}{index}@example.fr" for index in range(count)]
    for address in addresses:
        queue(address)
    return addresses


def all_sent() -> bool:
    return not OutboxEmail.objects.filter(sent_at=None).exists()


def assert_each_once(inbox: SmtpInbox, addresses: list[str]) -> None:
    copies = Counter(inbox.recipients())
    assert set(copies) == set(addresses)
    assert [address for address, count in copies.items() if count > 1] == []
    assert all_sent()


def drain_runs(worker: CeleryWorker) -> int:
    """How many drain tasks the worker has finished."""
    return len(
        re.findall(
            r"Task mailing\.tasks\.send_due_outbox\[[\w-]+\] succeeded", worker.log.read_text()
        )
    )


def test_a_lone_email__is_sent_within_seconds_by_its_drain_without_beat(
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
) -> None:
    inbox, _port = smtp_inbox
    worker = worker_factory(beat=False)

    for address in ("premiere@example.fr", "seconde@example.fr"):
        # The second one checks the first drain cleared its flag: left set, it would hold
        # the second email back for DRAIN_FLAG_SECONDS.
        started = time.monotonic()
        queue(address)
        wait_for(lambda address=address: address in inbox.recipients(), address, timeout=30)
        assert time.monotonic() - started < PROMPT
    assert_each_once(inbox, ["premiere@example.fr", "seconde@example.fr"])
    assert drain_runs(worker) >= 2


def test_a_burst_while_no_worker_runs__queues_one_drain_that_sends_every_email(
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    redis_server: RedisServer,
    producer_on: None,
) -> None:
    inbox, _port = smtp_inbox
    addresses = queue_many("rafale", 100)
    broker = redis.Redis.from_url(redis_server.url)
    assert broker.llen("celery") == 1  # one message for the burst, not one an email
    broker.close()

    worker = worker_factory(beat=False)

    wait_for(all_sent, "l'envoi de la rafale")
    assert_each_once(inbox, addresses)
    assert drain_runs(worker) == 1


def test_worker_killed_mid_drain_then_restarted__every_email_once(
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
) -> None:
    inbox, _port = smtp_inbox
    count = 300
    # Both pool processes wait in DATA when the worker dies: neither has a message between
    # the server's 250 and its "sent" mark (docs/exactly-once.md, the remaining window).
    inbox.hold_at = count // 3
    worker = worker_factory(
        concurrency=2,
        settings={
            **FAST_RECOVERY,
            "CELERY_BEAT_SCHEDULE": {
                "outbox": {"task": "newsletters.tasks.drain_outbox", "schedule": 1.0}
            },
        },
    )
    addresses = queue_many("personne", count)
    wait_for(lambda: inbox.held_count >= 2, "les deux envois en attente")
    worker.kill()  # SIGKILL to the whole process group: no cleanup, no ack
    inbox.release(accept=False)  # the messages in flight were never acknowledged
    assert count // 4 < len(inbox.messages) < count
    assert OutboxEmail.objects.filter(sent_at=None).count() > count // 2

    worker.start()

    wait_for(all_sent, "l'envoi de tous les courriels", timeout=120)
    assert_each_once(inbox, addresses)


def test_redis_restarted_empty_with_emails_waiting__the_next_email_drains_them_all(
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    redis_server: RedisServer,
    producer_on: None,
) -> None:
    inbox, _port = smtp_inbox
    waiting = queue_many("attente", 40)  # a drain queued and its flag set: both lost below
    redis_server.stop()
    during = queue_many("panne", 10)  # the broker down: logged, the rows wait
    redis_server.start()
    worker_factory(beat=False)
    assert inbox.messages == []

    queue("apres@example.fr")

    wait_for(all_sent, "l'envoi des courriels en attente", timeout=30)
    assert_each_once(inbox, [*waiting, *during, "apres@example.fr"])


def test_redis_restarted_mid_drain__the_drain_goes_on_and_every_email_is_sent_once(
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    redis_server: RedisServer,
    producer_on: None,
) -> None:
    inbox, _port = smtp_inbox
    inbox.hold_at = 20
    worker_factory(beat=False)
    before = queue_many("avant", 60)
    wait_for(inbox.held.is_set, "le drain en cours")

    redis_server.stop()  # the flag and any queued message lost; the drain under way goes on
    inbox.release()  # before the worker's SMTP timeout: the held message is accepted
    during = queue_many("panne", 10)
    redis_server.start()
    after = ["apres@example.fr"]
    queue(after[0])

    wait_for(all_sent, "l'envoi de tous les courriels", timeout=30)
    assert_each_once(inbox, [*before, *during, *after])
