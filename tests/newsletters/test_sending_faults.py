"""Faults during a send, each with real services: nothing lost, nothing sent twice.

Every test runs real Celery workers (with embedded beat) over a redis-server of its own, an
aiosmtpd server in this process that counts what it accepts, and a copy of the test database
that the test and the workers share (see ``tests.services``). Each one breaks something in the
middle of a send (the worker, Redis, the SMTP server, PostgreSQL's connections, the number of
beat processes) and then checks the two things a reader and an operator care about: the SMTP
server accepted exactly one copy for each recipient, and the ledger (``Delivery``) and the
send's status say so.

The workers run with short leases and a beat tick every second, so that what is recovered by
a lease running out or by the watchdog is recovered in seconds, not minutes.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from email.header import decode_header, make_header
from typing import Any

import pytest

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

from home.models import HomePage
from members.models import MemberPage
from newsletters import sending, tasks
from newsletters.models import Delivery, Send
from programs.models import ContestPage
from reminders.models import ReminderDelivery, ReminderRun
from subscriptions.models import Subscriber, Topic
from tests.services import CeleryWorker, RedisServer, SmtpInbox, wait_for

from .issues import assert_exactly_one_each, make_issue, make_subscribers, sent_rows

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

TICK = {"task": "newsletters.tasks.tick_sends", "schedule": 1.0}
FAST_RECOVERY = {
    "NEWSLETTERS_CHUNK_SIZE": 50,
    "NEWSLETTERS_SEND_RATE": 0,
    "NEWSLETTERS_DELIVERY_LEASE_SECONDS": 4,
    "NEWSLETTERS_RETRY_BASE_SECONDS": 1,
    "NEWSLETTERS_STALL_SECONDS": 3,
    "CELERY_BROKER_TRANSPORT_OPTIONS": {"visibility_timeout": 4},
    "CELERY_BEAT_SCHEDULE": {"tick": TICK},
}
# Long enough to be a real wait in the worker, short enough that the held SMTP conversations
# outlive it (EMAIL_TIMEOUT is 10 s in the workers).
SHORT_OUTAGE = 1.5


@pytest.fixture
def home_page(worker_database: str) -> HomePage:
    """The home page, read from the database the workers also use."""
    return Site.objects.get(is_default_site=True).root_page.specific


def finished(send: Send) -> bool:
    return Send.objects.get(pk=send.pk).status == Send.Status.DONE


def assert_ledger_agrees(send: Send, recipients: int) -> None:
    """The send is done and its ledger says every recipient was sent one message."""
    send.refresh_from_db()
    assert send.status == Send.Status.DONE
    assert send.recipient_count == recipients
    assert sent_rows(send) == recipients
    assert not Delivery.objects.filter(send=send).exclude(state=Delivery.State.SENT).exists()


# ---------------------------------------------------------------------------- the worker


def test_worker_killed_mid_send_of_5000_then_restarted__one_copy_each(
    home_page: HomePage,
    topics: dict[str, Topic],
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
) -> None:
    inbox, _port = smtp_inbox
    count = 5000
    subscribers = make_subscribers(count, topics["actualites"])
    # Both pool processes are in the middle of a message when the worker dies.
    inbox.hold_at = count // 2
    worker = worker_factory(
        concurrency=2, settings={**FAST_RECOVERY, "NEWSLETTERS_CHUNK_SIZE": 250}
    )

    send = sending.create_send(make_issue(home_page, topics["actualites"]), None)
    # Both processes held in DATA: neither has a message between the server's 250 and its
    # "sent" mark, the one window no SMTP client can close (see docs/exactly-once.md).
    wait_for(lambda: inbox.held_count >= 2, "la moitié de l'envoi")
    worker.kill()  # SIGKILL to the whole process group: no cleanup, no ack
    inbox.release(accept=False)  # the messages in flight were never acknowledged
    assert count // 3 < len(inbox.messages) < count
    assert Delivery.objects.filter(send=send, state=Delivery.State.SENDING).exists()

    worker.start()

    wait_for(lambda: finished(send), "la fin de l'envoi", timeout=150)
    assert_exactly_one_each(inbox, subscribers)
    assert_ledger_agrees(send, count)


# ---------------------------------------------------------------------------- Redis


def test_redis_restarted_empty_mid_send__the_send_completes_once(
    home_page: HomePage,
    topics: dict[str, Topic],
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    redis_server: RedisServer,
    producer_on: None,
) -> None:
    inbox, _port = smtp_inbox
    readers = make_subscribers(600, topics["actualites"])
    trainees = make_subscribers(100, topics["formations-cma"], prefix="stagiaire")
    inbox.hold_at = 150  # the workers are mid-chunk, the other chunks wait in Redis
    worker_factory(concurrency=2, settings=FAST_RECOVERY)
    news = sending.create_send(
        make_issue(home_page, topics["actualites"], subject="Actualites de mars"), None
    )
    wait_for(inbox.held.is_set, "le milieu de l'envoi")

    # Redis stops (no persistence: the queued chunk messages are gone) and comes back empty
    # on the same port.
    redis_server.stop()
    # The producer side, meanwhile: an editor starts another send; the page must not fail.
    training = sending.create_send(
        make_issue(home_page, topics["formations-cma"], subject="Formations de mars"), None
    )
    time.sleep(SHORT_OUTAGE)  # an outage is a length of time: nothing to poll for
    redis_server.start()
    inbox.release()
    # This process publishes again without being restarted (it would raise if it could not).
    tasks.tick_sends.apply_async(retry=False)
    assert len(inbox.messages) < 600

    wait_for(lambda: finished(news) and finished(training), "la fin des deux envois")
    assert_exactly_one_each(inbox, readers, subject="Actualites de mars")
    assert_exactly_one_each(inbox, trainees, subject="Formations de mars")
    assert len(inbox.messages) == 700
    assert_ledger_agrees(news, 600)
    assert_ledger_agrees(training, 100)


# ---------------------------------------------------------------------------- the SMTP server


def test_smtp_server_busy_then_accepting__all_delivered_retries_bounded_and_shown(
    home_page: HomePage,
    topics: dict[str, Topic],
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
    admin_user: Any,
) -> None:
    inbox, _port = smtp_inbox
    subscribers = make_subscribers(300, topics["actualites"])
    full_mailbox = subscribers[-1].email  # one mailbox stays full: its retries must end
    busy_seconds = 2.5
    first_contact: list[float] = []

    def answer(stage: str, address: str, attempt: int) -> str | None:
        if stage != "rcpt":
            return None
        if not first_contact:
            first_contact.append(time.monotonic())
        if time.monotonic() - first_contact[0] < busy_seconds:
            return "421 4.3.2 Service temporairement indisponible, fermeture de la connexion"
        if address == full_mailbox:
            return "452 4.2.2 Boite pleine"
        return None

    inbox.refuse = answer
    max_attempts = 4
    worker_factory(
        concurrency=2, settings={**FAST_RECOVERY, "NEWSLETTERS_MAX_ATTEMPTS": max_attempts}
    )
    send = sending.create_send(make_issue(home_page, topics["actualites"]), None)
    client = Client()
    client.force_login(admin_user)
    progress_url = reverse("newsletters_send_progress", args=[send.pk])

    # While the server refuses, the operator sees the send waiting to try again, and why.
    wait_for(
        lambda: Delivery.objects.filter(send=send, state="queued", smtp_code=421).exists(),
        "un premier refus",
    )
    page = client.get(progress_url).content.decode()
    assert shown(page, "Nouvel essai prévu (refus temporaire du serveur)") > 0
    assert "421 4.3.2 Service temporairement indisponible" in page

    wait_for(lambda: finished(send), "la fin de l'envoi")
    delivered = [s for s in subscribers if s.email != full_mailbox]
    assert_exactly_one_each(inbox, delivered)
    rows = Delivery.objects.filter(send=send)
    assert rows.filter(state="sent").count() == 299
    # Retried, and no more than allowed: the attempts are counted on each row.
    assert rows.filter(state="sent", attempts__gt=1).exists()
    assert max(rows.values_list("attempts", flat=True)) == max_attempts
    failed = rows.get(state="failed")
    assert (failed.subscriber.email, failed.attempts, failed.smtp_code) == (
        full_mailbox,
        max_attempts,
        452,
    )
    assert inbox.attempts[("rcpt", full_mailbox)] == max_attempts
    page = client.get(progress_url).content.decode()
    assert shown(page, "Envoyés") == 299
    assert shown(page, "Échecs") == 1
    assert shown(page, "Nouvel essai prévu (refus temporaire du serveur)") == 0
    assert "452 4.2.2 Boite pleine" in page
    assert "Renvoyer aux échecs seulement" in page


def shown(page: str, label: str) -> int:
    """The number the progress page shows against ``label``."""
    found = re.search(rf'<th scope="row">{re.escape(label)}</th><td>(\d+)</td>', page)
    assert found, f"« {label} » n'est pas sur la page de suivi"
    return int(found.group(1))


# ---------------------------------------------------------------------------- PostgreSQL


class TestPostgresConnectionsCut:
    """``pg_terminate_backend`` is PostgreSQL's: these tests use it in both passes of CI."""

    @pytest.fixture
    def worker_database(self, postgres_worker_database: str) -> str:
        return postgres_worker_database

    def test_connections_cut_repeatedly_mid_send__the_send_completes_once(
        self,
        home_page: HomePage,
        topics: dict[str, Topic],
        worker_factory: Callable[..., CeleryWorker],
        smtp_inbox: tuple[SmtpInbox, int],
        producer_on: None,
    ) -> None:
        assert connection.vendor == "postgresql"
        inbox, _port = smtp_inbox
        count, cuts = 800, 5
        subscribers = make_subscribers(count, topics["actualites"])
        worker_factory(concurrency=2, settings=FAST_RECOVERY)
        send = sending.create_send(make_issue(home_page, topics["actualites"]), None)

        ended = []
        for cut in range(1, cuts + 1):
            wait_for(lambda cut=cut: len(inbox.messages) >= cut * count // (cuts + 2), "l'envoi")
            ended.append(end_other_sessions())
        assert len(inbox.messages) < count
        assert sum(ended) >= cuts, ended  # the workers' sessions were among those ended

        wait_for(lambda: finished(send), "la fin de l'envoi")
        assert_exactly_one_each(inbox, subscribers)
        assert_ledger_agrees(send, count)


def end_other_sessions() -> int:
    """End every other session on this test's database (the workers'); return how many."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


# ---------------------------------------------------------------------------- beat


def test_two_beats_started_by_mistake__no_reminder_nor_newsletter_sent_twice(
    home_page: HomePage,
    topics: dict[str, Topic],
    worker_factory: Callable[..., CeleryWorker],
    smtp_inbox: tuple[SmtpInbox, int],
    producer_on: None,
    make_contest: Callable[..., ContestPage],
    resident: MemberPage,
    topic_subscriber: Callable[[str], Subscriber],
    follower: Callable[[str, ContestPage], Subscriber],
) -> None:
    inbox, _port = smtp_inbox
    every_second = {
        "reminders": {"task": "newsletters.reminders.dispatch_contest_reminders", "schedule": 1.0},
        "outbox": {"task": "newsletters.tasks.drain_outbox", "schedule": 1.0},
        "tick": TICK,
    }
    beats = [
        worker_factory(settings={**FAST_RECOVERY, "CELERY_BEAT_SCHEDULE": every_second})
        for _ in range(2)
    ]
    # Both beats are running before anything falls due: they race for the same work.
    wait_for(lambda: all(beat_ticks(worker) for worker in beats), "les deux beats")

    now = timezone.now()
    contest = make_contest(
        opens=now - timedelta(minutes=1), closes=now + timedelta(days=10), residents=(resident,)
    )
    voters = [topic_subscriber(f"votant{n}@example.fr") for n in range(30)]
    voters += [follower(f"suiveur{n}@example.fr", contest) for n in range(10)]
    readers = make_subscribers(200, topics["actualites"])
    # Due in a moment: started by whichever beat's tick comes first, or by both.
    send = sending.create_send(
        make_issue(home_page, topics["actualites"], subject="Actualites de mars"),
        None,
        scheduled_at=timezone.now() + timedelta(seconds=2),
    )

    wait_for(lambda: finished(send), "la fin de l'envoi de la lettre")
    wait_for(lambda: len(inbox.messages) >= 240, "les rappels")
    # Several more rounds of each beat, then count again.
    ticks = [beat_ticks(worker) for worker in beats]
    wait_for(
        lambda: all(beat_ticks(w) >= n + 4 for w, n in zip(beats, ticks, strict=True)),
        "quatre rondes de plus de chaque beat",
    )

    assert_exactly_one_each(inbox, voters, subject=reminder_subject(inbox))
    assert_exactly_one_each(inbox, readers, subject="Actualites de mars")
    assert len(inbox.messages) == 240
    assert ReminderDelivery.objects.filter(contest=contest, slot_key="ouverture").count() == 40
    assert ReminderRun.objects.get(contest=contest).status == ReminderRun.Status.SENT
    assert_ledger_agrees(send, 200)


def beat_ticks(worker: CeleryWorker) -> int:
    """How many times this worker's beat has sent the reminder round."""
    return worker.log.read_text(errors="replace").count(
        "Sending due task reminders (newsletters.reminders.dispatch_contest_reminders)"
    )


def reminder_subject(inbox: SmtpInbox) -> str:
    """The subject of the reminders: the one that is not the newsletter's."""
    subjects = Counter(
        str(make_header(decode_header(message["Subject"]))) for message in inbox.messages
    )
    [subject] = [s for s in subjects if s != "Actualites de mars"]
    return subject
