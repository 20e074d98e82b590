"""The outbox keeps one SMTP connection per process, on a real SMTP server on loopback.

Counted at the server: how many sessions (EHLO) carried the emails, and that each row went
out once, whatever happened to the connection in between.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from mailing import outbox
from mailing.models import OutboxEmail
from tests.services import SmtpInbox, wait_for

from .test_outbox import queued_email

pytestmark = [pytest.mark.django_db, pytest.mark.services]


@pytest.fixture
def smtp(smtp_inbox: tuple[SmtpInbox, int], settings: Any) -> Iterator[SmtpInbox]:
    """The outbox sends through Django's SMTP backend to the test's server, which records
    each session it opens (``inbox.sessions``: the server side of each connection)."""
    inbox, port = smtp_inbox
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    sessions: list[Any] = []

    async def handle_EHLO(
        server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        sessions.append(server)
        session.host_name = hostname  # what aiosmtpd leaves to a handler with this hook
        return responses

    inbox.handle_EHLO = handle_EHLO  # type: ignore[attr-defined]
    inbox.sessions = sessions  # type: ignore[attr-defined]
    outbox.kept_connection.close()
    yield inbox
    outbox.kept_connection.close()


def received(inbox: SmtpInbox) -> list[str]:
    return sorted(str(message["To"]) for message in inbox.messages)


def test_emails_one_after_another__go_over_one_connection(smtp: SmtpInbox) -> None:
    rows = [queued_email(to=f"personne{n}@example.fr") for n in range(3)]

    assert [outbox.deliver(row.pk) for row in rows] == [True, True, True]

    assert received(smtp) == [f"personne{n}@example.fr" for n in range(3)]
    assert len(smtp.sessions) == 1  # type: ignore[attr-defined]
    assert not OutboxEmail.objects.filter(sent_at=None).exists()


def test_a_connection_the_server_closed__the_next_email_opens_a_new_one(smtp: SmtpInbox) -> None:
    first, second = queued_email(to="a@example.fr"), queued_email(to="b@example.fr")
    assert outbox.deliver(first.pk) is True
    # The server ends the idle session, as on its idle timeout.
    (server,) = smtp.sessions  # type: ignore[attr-defined]
    server.loop.call_soon_threadsafe(server.transport.close)
    time.sleep(0.2)

    assert outbox.deliver(second.pk) is True

    assert received(smtp) == ["a@example.fr", "b@example.fr"]
    assert len(smtp.sessions) == 2  # type: ignore[attr-defined]
    second.refresh_from_db()
    assert second.attempts == 1  # sent on its first attempt, no failure recorded
    assert second.last_error == ""


def test_a_refused_email__backs_off_and_the_next_goes_on_a_new_connection(
    smtp: SmtpInbox,
) -> None:
    smtp.refuse = lambda stage, address, attempt: (
        "451 4.3.0 try later" if stage == "data" and address == "refus@example.fr" else None
    )
    refused, accepted = queued_email(to="refus@example.fr"), queued_email(to="b@example.fr")

    assert outbox.deliver(refused.pk) is False
    assert outbox.deliver(accepted.pk) is True

    assert received(smtp) == ["b@example.fr"]
    refused.refresh_from_db()
    assert (refused.sent_at, refused.attempts) == (None, 1)
    assert "451" in refused.last_error
    # The failed connection was dropped, not reused in an unknown state.
    assert len(smtp.sessions) == 2  # type: ignore[attr-defined]
    assert outbox.drain_outbox() == 0  # the refused row waits for its back-off


def test_an_idle_connection__is_closed(smtp: SmtpInbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox.KeptConnection, "IDLE_SECONDS", 0.2)
    assert outbox.deliver(queued_email().pk) is True
    assert outbox.kept_connection.backend is not None

    wait_for(lambda: outbox.kept_connection.backend is None, "la fermeture", timeout=5)
    (server,) = smtp.sessions  # type: ignore[attr-defined]
    wait_for(lambda: server.transport is None or server.transport.is_closing(), "le QUIT", 5)


def test_other_settings__are_not_sent_over_the_kept_connection(
    smtp: SmtpInbox, smtp_inbox: tuple[SmtpInbox, int], settings: Any
) -> None:
    assert outbox.deliver(queued_email(to="a@example.fr").pk) is True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert outbox.deliver(queued_email(to="b@example.fr").pk) is True

    from django.core import mail

    assert [message.to for message in mail.outbox] == [["b@example.fr"]]
    assert received(smtp) == ["a@example.fr"]
