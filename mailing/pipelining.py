"""Django's SMTP backend, plus a fast path for messages serialised beforehand.

A newsletter send hands this backend thousands of messages over one connection. For those it
already has as bytes (``WireMessage``), it skips the ``email`` package altogether and, when the
server advertises PIPELINING (RFC 2920), writes ``MAIL FROM``, ``RCPT TO`` and ``DATA`` in one
go and then reads the three replies: one round trip instead of three before the data. Every
reply is turned into the exception ``smtplib.SMTP.sendmail`` raises for it, so callers handle
refusals exactly as with Django's backend. Everything else (connection, TLS, login, ordinary
``EmailMessage`` objects) is Django's own code, driven by the same ``EMAIL_*`` settings.
"""

from __future__ import annotations

import contextlib
import smtplib
from dataclasses import dataclass
from typing import Any

from django.core.mail.backends.smtp import EmailBackend

# What each envelope command must be answered with (as smtplib.SMTP.sendmail checks it).
_MAIL, _RCPT, _DATA = 0, 1, 2
_ACCEPTED = ((250,), (250, 251), (354,))


@dataclass(frozen=True, slots=True)
class WireMessage:
    """A message ready for the wire: ``data`` has CRLF line ends, is dot-stuffed (RFC 5321
    4.5.2) and ends with CRLF; ``sender`` and ``recipient`` are the envelope, in ASCII."""

    sender: str
    recipient: str
    data: bytes


class PipeliningBackend(EmailBackend):
    """Django's SMTP backend; ``WireMessage`` objects go out with the envelope pipelined."""

    def _send(self, email_message: Any) -> bool:
        # Reached through ``send_messages`` like any message, so its lock, its opening of the
        # connection and anything wrapped around it apply to both kinds.
        if isinstance(email_message, WireMessage):
            if self.connection is None:  # send_messages opens it first
                raise smtplib.SMTPServerDisconnected("Not connected")
            send_wire_message(self.connection, email_message)
            return True
        return bool(super()._send(email_message))  # type: ignore[misc]  # private, not in the stubs


def send_wire_message(connection: smtplib.SMTP, message: WireMessage) -> None:
    """Send ``message``; raise what ``smtplib.SMTP.sendmail`` raises for the same replies.

    A refused envelope is reset (``RSET``) so the connection can carry the next message; a
    ``421`` closes it, as the server is closing its side.
    """
    connection.ehlo_or_helo_if_needed()
    size = ""
    if connection.does_esmtp and connection.has_extn("size"):
        size = f" SIZE={len(message.data)}"
    commands = (
        f"MAIL FROM:{smtplib.quoteaddr(message.sender)}{size}\r\n".encode("ascii"),
        f"RCPT TO:{smtplib.quoteaddr(message.recipient)}\r\n".encode("ascii"),
        b"DATA\r\n",
    )
    pipelined = connection.has_extn("pipelining")
    if pipelined:
        connection.send(b"".join(commands))
    refusal: smtplib.SMTPException | None = None
    code = 0
    for stage, command in enumerate(commands):
        if not pipelined:
            connection.send(command)
        code, reply = connection.getreply()
        if code == 421:
            connection.close()
            raise _refusal(stage, code, reply, message)
        if code not in _ACCEPTED[stage] and refusal is None:
            refusal = _refusal(stage, code, reply, message)
            if not pipelined:
                break  # the next command was not sent, so there is no reply to read
    if refusal is not None:
        if code == 354:
            # A server that takes DATA after refusing the envelope waits for a body: an empty
            # one, with no recipient to go to, ends the transaction.
            connection.send(b".\r\n")
            connection.getreply()
        _reset(connection)
        raise refusal
    connection.send(message.data + b".\r\n")
    code, reply = connection.getreply()
    if code != 250:
        if code == 421:
            connection.close()
        else:
            _reset(connection)
        raise smtplib.SMTPDataError(code, reply)


def _refusal(stage: int, code: int, reply: bytes, message: WireMessage) -> smtplib.SMTPException:
    if stage == _MAIL:
        return smtplib.SMTPSenderRefused(code, reply, message.sender)
    if stage == _RCPT:
        return smtplib.SMTPRecipientsRefused({message.recipient: (code, reply)})
    return smtplib.SMTPDataError(code, reply)


def _reset(connection: smtplib.SMTP) -> None:
    # As smtplib does: a server already gone is noticed by the next message, not here.
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        connection.rset()
