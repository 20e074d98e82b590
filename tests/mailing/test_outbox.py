from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from django.core import mail
from django.utils import timezone

from mailing import outbox
from mailing.models import OutboxEmail
from mailing.tasks import drain_outbox, send_outbox_email

pytestmark = pytest.mark.django_db


def queued_email(**overrides: Any) -> OutboxEmail:
    fields = {
        "kind": "test",
        "address_hash": "h" * 64,
        "to": "marie@example.fr",
        "subject": "Bonjour",
        "body_text": "Texte",
        "body_html": "<p>Texte</p>",
        "headers": {"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    }
    return OutboxEmail.objects.create(**{**fields, **overrides})


def test_queue_email__dispatches_only_after_the_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = outbox.queue_email(
            OutboxEmail(kind="t", address_hash="h", to="a@b.fr", subject="s", body_text="b")
        )
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.sent_at is not None


def test_deliver__sends_a_row_once_however_often_it_is_asked() -> None:
    email = queued_email()
    assert send_outbox_email(email.pk) is True
    assert send_outbox_email(email.pk) is False
    assert drain_outbox() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.alternatives[0] == ("<p>Texte</p>", "text/html")


def test_deliver__sends_the_attachments_of_the_row() -> None:
    calendar = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    email = queued_email(
        attachments=[{"filename": "atelier.ics", "content": calendar, "mimetype": "text/calendar"}]
    )
    assert send_outbox_email(email.pk) is True
    assert mail.outbox[0].attachments == [("atelier.ics", calendar, "text/calendar")]


def test_claim__only_one_of_two_workers_wins_a_row() -> None:
    email = queued_email()
    assert OutboxEmail.objects.claim(email.pk) is True
    assert OutboxEmail.objects.claim(email.pk) is False
    # A worker that died mid-send releases the row when its claim runs out.
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert OutboxEmail.objects.claim(email.pk) is True


def test_smtp_failure__is_recorded_and_retried_after_a_pause(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    email = queued_email()
    assert send_outbox_email(email.pk) is False
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1
    assert email.last_error
    assert drain_outbox() == 0  # backing off

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert drain_outbox() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_deliver__a_connection_lost_after_the_smtp_reply_does_not_send_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import OperationalError as DatabaseOperationalError
    from django.db.models import QuerySet

    from mailing import durable_write

    monkeypatch.setattr(durable_write, "RETRY_DELAYS", (0.01, 0.01))
    email = queued_email()
    real_update = QuerySet.update
    cuts = iter([True])  # the first "sent" write meets a dropped connection, as after a failover

    def update(queryset: QuerySet, **values: Any) -> int:
        if "sent_at" in values and next(cuts, False):
            raise DatabaseOperationalError("server closed the connection unexpectedly")
        return real_update(queryset, **values)

    monkeypatch.setattr(QuerySet, "update", update)

    assert outbox.deliver(email.pk) is True
    assert outbox.drain_outbox() == 0  # recorded as sent: the drain finds nothing to resend
    email.refresh_from_db()
    assert email.sent_at is not None
    assert len(mail.outbox) == 1


def test_durable_write__inside_a_transaction_a_lost_connection_is_not_retried() -> None:
    from django.db import OperationalError as DatabaseOperationalError

    from mailing.durable_write import record_after_delivery

    calls = []

    def write() -> None:
        calls.append(1)
        raise DatabaseOperationalError("connection lost")

    # A new connection would silently drop the transaction's earlier writes: raise instead.
    with pytest.raises(DatabaseOperationalError):
        record_after_delivery(write, "un test")
    assert calls == [1]


def test_send_due__sends_every_due_row_and_hands_the_rest_to_a_fresh_task() -> None:
    emails = [queued_email(to=f"p{index}@example.fr") for index in range(outbox.DRAIN_BATCH + 30)]
    # Limited to fewer rows than are due, it sends as many, then queues a drain for the rest
    # (run in place here: tasks are eager in the tests).
    assert outbox.send_due(limit=outbox.DRAIN_BATCH) == outbox.DRAIN_BATCH

    assert sorted(message.to[0] for message in mail.outbox) == sorted(e.to for e in emails)
    assert not OutboxEmail.objects.filter(sent_at=None).exists()


def test_drain_outbox__also_sends_the_rows_committed_while_it_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = queued_email(to="premiere@example.fr")
    sent_before: list[str] = []
    send = outbox.kept_connection.send

    def send_and_commit_another(message: Any) -> None:
        send(message)
        sent_before.append(message.to[0])
        if len(sent_before) == 1:  # a sign-up committed after the drain's first query
            queued_email(to="pendant@example.fr")

    monkeypatch.setattr(outbox.kept_connection, "send", send_and_commit_another)
    assert outbox.drain_outbox() == 2
    assert sent_before == [first.to, "pendant@example.fr"]
