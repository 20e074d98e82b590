"""The SMTP backend's fast path: the envelope pipelined when the server offers it, every reply
raising what smtplib's ``sendmail`` raises, and the connection still usable after a refusal."""

from __future__ import annotations

import re
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from mailing.pipelining import PipeliningBackend, WireMessage
from tests.services import SmtpInbox, free_port

pytestmark = pytest.mark.services


class PipeliningInbox(SmtpInbox):
    """The test server, also offering PIPELINING (aiosmtpd reads commands in order anyway)."""

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        return [*responses[:-1], "250-PIPELINING", responses[-1]]


@contextmanager
def backend_for(inbox: SmtpInbox) -> Iterator[tuple[PipeliningBackend, list[bytes]]]:
    """A backend connected to ``inbox``, and the list of the writes it makes on the socket."""
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    backend = PipeliningBackend(host="127.0.0.1", port=port, use_tls=False, use_ssl=False)
    try:
        backend.open()
        assert backend.connection is not None
        writes: list[bytes] = []
        send = backend.connection.send

        def recorded(data: Any) -> None:
            writes.append(data.encode() if isinstance(data, str) else data)
            send(data)

        backend.connection.send = recorded  # type: ignore[method-assign]
        yield backend, writes
    finally:
        backend.close()
        controller.stop()


def wire(recipient: str) -> WireMessage:
    data = f"To: {recipient}\r\nSubject: Essai\r\n\r\nBonjour\r\n.point\r\n".encode()
    return WireMessage("lettres@example.fr", recipient, data.replace(b"\r\n.", b"\r\n.."))


def commands(writes: list[bytes]) -> list[list[bytes]]:
    """The envelope commands of each write that carries any."""
    found = [re.findall(rb"(?m)^(MAIL FROM|RCPT TO|DATA)\b", write) for write in writes]
    return [verbs for verbs in found if verbs]


@pytest.mark.parametrize("inbox_class", [PipeliningInbox, SmtpInbox], ids=["pipelining", "plain"])
def test_messages_are_delivered_with_the_envelope_in_one_write_when_offered(
    inbox_class: type[SmtpInbox],
) -> None:
    inbox = inbox_class()
    with backend_for(inbox) as (backend, writes):
        sent = backend.send_messages([wire(f"lecteur{n}@example.fr") for n in range(3)])  # type: ignore[list-item]

    assert sent == 3
    assert inbox.recipients() == [f"lecteur{n}@example.fr" for n in range(3)]
    assert [m.get_payload().replace("\r\n", "\n") for m in inbox.messages] == [
        "Bonjour\n.point\n"
    ] * 3
    if inbox_class is PipeliningInbox:
        assert commands(writes) == [[b"MAIL FROM", b"RCPT TO", b"DATA"]] * 3
    else:
        assert commands(writes) == [[b"MAIL FROM"], [b"RCPT TO"], [b"DATA"]] * 3


@pytest.mark.parametrize("inbox_class", [PipeliningInbox, SmtpInbox], ids=["pipelining", "plain"])
@pytest.mark.parametrize(
    ("stage", "answer", "error"),
    [
        ("rcpt", "550 5.1.1 No such user", smtplib.SMTPRecipientsRefused),
        ("rcpt", "451 4.7.1 Greylisted", smtplib.SMTPRecipientsRefused),
        ("data", "554 5.7.1 Rejected", smtplib.SMTPDataError),
        ("data", "452 4.3.1 Try later", smtplib.SMTPDataError),
    ],
)
def test_a_refusal_raises_as_sendmail_does_and_the_next_message_goes_out(
    inbox_class: type[SmtpInbox], stage: str, answer: str, error: type[Exception]
) -> None:
    inbox = inbox_class()
    inbox.refuse = lambda at, address, attempt: (
        answer if (at, address) == (stage, "refuse@example.fr") else None
    )
    with backend_for(inbox) as (backend, _writes):
        assert backend.send_messages([wire("avant@example.fr")]) == 1  # type: ignore[list-item]
        with pytest.raises(error) as raised:
            backend.send_messages([wire("refuse@example.fr")])  # type: ignore[list-item]
        assert backend.send_messages([wire("apres@example.fr")]) == 1  # type: ignore[list-item]

    code = int(answer[:3])
    if isinstance(raised.value, smtplib.SMTPRecipientsRefused):
        assert raised.value.recipients == {"refuse@example.fr": (code, answer[4:].encode())}
    else:
        assert isinstance(raised.value, smtplib.SMTPResponseException)
        assert raised.value.smtp_code == code
    assert inbox.recipients() == ["avant@example.fr", "apres@example.fr"]


@pytest.mark.parametrize("inbox_class", [PipeliningInbox, SmtpInbox], ids=["pipelining", "plain"])
def test_421_closes_the_connection(inbox_class: type[SmtpInbox]) -> None:
    inbox = inbox_class()
    inbox.refuse = lambda at, address, attempt: "421 4.3.2 Closing" if at == "rcpt" else None
    with backend_for(inbox) as (backend, _writes):
        with pytest.raises(smtplib.SMTPRecipientsRefused) as raised:
            backend.send_messages([wire("lecteur@example.fr")])  # type: ignore[list-item]
        assert backend.connection is not None and backend.connection.sock is None

    assert raised.value.recipients["lecteur@example.fr"][0] == 421
    assert inbox.messages == []
