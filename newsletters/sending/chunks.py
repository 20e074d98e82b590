"""Sending one chunk of a send's ledger: claim, throttle, SMTP, and the durable "sent" mark.

Safe to run twice, concurrently or after a crash: see docs/exactly-once.md.
"""

from __future__ import annotations

import contextlib
import smtplib
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection as db_connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from mailing.durable_write import record_after_delivery
from mailing.models import Suppression
from mailing.pipelining import PipeliningBackend
from mailing.throttle import Throttle
from ops.queueing import queue
from subscriptions.audience import mailable_subscribers
from subscriptions.models import Subscriber

from .. import tasks
from ..models import Delivery, Send
from ..rendering import Personaliser, RenderedIssue, Skeleton, message_id, render_issue

State = Delivery.State
Status = Send.Status
# How often a worker looks at the send's status (pause, cancel) and says it is alive.
STATUS_CHECK_SECONDS = 1.0
HEARTBEAT_SECONDS = 10.0
PREPARE_THRESHOLD = 5  # psycopg's default, for connections Django created with it off


_rendered: OrderedDict[tuple[int, int, datetime], RenderedIssue] = OrderedDict()


def rendered_issue(send: Send) -> RenderedIssue:
    """The send's revision rendered once per worker process (a few sends kept)."""
    key = (send.pk, send.revision_id, send.created_at)
    issue = _rendered.get(key)
    if issue is None:
        issue = render_issue(send.revision.as_object())
        _rendered[key] = issue
        while len(_rendered) > 4:
            _rendered.popitem(last=False)
    return issue


@dataclass
class ChunkResult:
    sent: int = 0
    failed: int = 0
    suppressed: int = 0
    deferred: int = 0
    retry_in: float | None = None


def claimable(now: datetime) -> Q:
    return (
        Q(state=State.QUEUED, not_before__isnull=True)
        | Q(state=State.QUEUED, not_before__lte=now)
        | Q(state=State.SENDING, claimed_until__lt=now)
    )


def _lease() -> timedelta:
    return timedelta(seconds=settings.NEWSLETTERS_DELIVERY_LEASE_SECONDS)


def _backoff(attempts: int) -> float:
    return float(settings.NEWSLETTERS_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


class _Chunk:
    """The state of one ``send_chunk`` run: its claim token and its SMTP connection."""

    def __init__(self, send: Send, token: uuid.UUID, personaliser: Personaliser) -> None:
        self.send = send
        self.token = token
        self.result = ChunkResult()
        self.personaliser = personaliser
        self.connection = get_connection()
        self.skeleton: Skeleton | None = None
        if type(self.connection) is SmtpBackend:
            # Same server and settings; each message serialised from one skeleton and its
            # envelope pipelined (mailing/pipelining.py). Other backends (files, memory, an
            # email service's API) get ordinary messages.
            self.connection = PipeliningBackend()
            self.skeleton = personaliser.skeleton()
        self.needs_open = True
        self.throttle = Throttle(settings.NEWSLETTERS_SEND_RATE)
        self.next_check = time.monotonic() + STATUS_CHECK_SECONDS
        # Renew the lease well before it runs out.
        self.heartbeat = min(HEARTBEAT_SECONDS, settings.NEWSLETTERS_DELIVERY_LEASE_SECONDS / 3)
        self.next_heartbeat = time.monotonic() + self.heartbeat

    def mine(self, pk: int | None = None) -> Any:
        rows = Delivery.objects.filter(claim_token=self.token)
        return rows.filter(pk=pk) if pk is not None else rows

    def release(self, pk: int | None = None, **changes: Any) -> None:
        self.mine(pk).filter(state=State.SENDING).update(
            claim_token=None, claimed_until=None, **changes
        )

    def still_sending(self) -> bool:
        """Every second: has an editor paused or cancelled? Also renew the lease."""
        now_monotonic = time.monotonic()
        if now_monotonic < self.next_check:
            return True
        self.next_check = now_monotonic + STATUS_CHECK_SECONDS
        status = Send.objects.filter(pk=self.send.pk).values_list("status", flat=True).first()
        if now_monotonic >= self.next_heartbeat:
            self.next_heartbeat = now_monotonic + self.heartbeat
            now = timezone.now()
            self.mine().filter(state=State.SENDING).update(claimed_until=now + _lease())
            Send.objects.filter(pk=self.send.pk).update(last_activity_at=now)
        return status == Status.SENDING

    def send_one(
        self,
        pk: int,
        subscriber: tuple[str, uuid.UUID],
        subscriber_id: int,
        attempts: int,
    ) -> bool:
        """Send one row; False if the connection is lost and the chunk should stop."""
        address, public_id = subscriber
        identifier = message_id(self.send.pk, subscriber_id)
        message: Any
        if self.skeleton is not None:
            message = self.skeleton.fill(address, public_id, message_id=identifier)
        else:
            message = self.personaliser.build(address, public_id, message_id=identifier)
        self.throttle.acquire()
        try:
            if self.needs_open:
                self.connection.open()
                self.needs_open = False
            if self.connection.send_messages([message]) != 1:
                raise smtplib.SMTPException(_("Le serveur n'a pas accepté le message."))
        except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as error:
            code = _smtp_code(error)
            if code is not None and code >= 500:
                self._fail(pk, subscriber_id, code, error)
                return True
            self._defer(pk, attempts, code, error)
            if code == 421 or isinstance(error, smtplib.SMTPConnectError):
                self._reconnect()  # the server is closing the connection
                return False
            return True
        except OSError as error:  # connection refused or lost, timeout (SMTPServerDisconnected)
            self._defer(pk, attempts, None, error)
            self._reconnect()
            return False
        # THE WINDOW: the server has the message; until this UPDATE commits, a crash leaves
        # the row "sending" and it is sent again once its lease runs out (docs/exactly-once.md).
        self.mark_sent(pk)
        self.result.sent += 1
        return True

    def mark_sent(self, pk: int) -> None:
        """The ledger write after each accepted message, as one plain statement: it runs once
        per recipient, so it skips the ORM's query building (and, on PostgreSQL, is prepared
        once per connection: ``_execute_prepared``).

        The server has the message by now, so this write must survive a lost database
        connection (PostgreSQL restarted or failed over, the session ended by an administrator
        or a proxy): given up, it would leave the row ``sending`` and the message would be sent
        a second time once the lease runs out. It is tried again on a new connection; it is
        idempotent, as it only matches while this run still holds the row.
        """
        params = (State.SENT, timezone.now(), pk, self.token.hex)

        def write() -> None:
            if not _execute_prepared(self.MARK_SENT_SQL, params):
                with db_connection.cursor() as cursor:
                    cursor.execute(self.MARK_SENT_SQL, params)

        record_after_delivery(write, f"la remise {pk}")

    MARK_SENT_SQL = (
        f"UPDATE {Delivery._meta.db_table} SET state = %s, sent_at = %s, claim_token = NULL, "  # noqa: S608
        "claimed_until = NULL, attempts = attempts + 1, smtp_code = 250, last_error = '' "
        "WHERE id = %s AND claim_token = %s"
    )

    def _reconnect(self) -> None:
        """Drop the connection; the next message opens a fresh one."""
        with contextlib.suppress(Exception):  # the connection may already be broken
            self.connection.close()
        self.needs_open = True

    def _defer(self, pk: int, attempts: int, code: int | None, error: Exception) -> None:
        attempts += 1
        detail = _error_detail(error)
        if attempts >= settings.NEWSLETTERS_MAX_ATTEMPTS:
            self.release(
                pk, state=State.FAILED, attempts=attempts, smtp_code=code, last_error=detail
            )
            self.result.failed += 1
            return
        delay = _backoff(attempts)
        self.release(
            pk,
            state=State.QUEUED,
            attempts=attempts,
            smtp_code=code,
            last_error=detail,
            not_before=timezone.now() + timedelta(seconds=delay),
        )
        self.result.deferred += 1
        self.result.retry_in = min(self.result.retry_in or delay, delay)

    def _fail(self, pk: int, subscriber_id: int, code: int, error: Exception) -> None:
        self.release(
            pk,
            state=State.FAILED,
            attempts=F("attempts") + 1,
            smtp_code=code,
            last_error=_error_detail(error),
        )
        self.result.failed += 1
        refusals = Delivery.objects.filter(
            subscriber_id=subscriber_id, state=State.FAILED, smtp_code__gte=500
        ).count()
        if refusals >= settings.NEWSLETTERS_SUPPRESS_AFTER_FAILURES:
            email_hash = (
                Subscriber.objects.filter(pk=subscriber_id)
                .values_list("email_hash", flat=True)
                .first()
            )
            if email_hash:
                Suppression.objects.get_or_create(
                    address_hash=email_hash, defaults={"reason": Suppression.Reason.BOUNCED}
                )


def _execute_prepared(sql: str, params: tuple[Any, ...]) -> bool:
    """Run ``sql`` on PostgreSQL as a server-side prepared statement; False elsewhere.

    Django's cursor binds parameters on the client, so the server parses and plans the
    statement again for every message. A plain psycopg cursor on Django's own connection
    (same session, same transaction state) prepares it once per connection instead. Errors
    still become Django's, which ``record_after_delivery`` retries on. When something watches
    the queries (a test's query count, DEBUG's log, an execute wrapper) Django's cursor is used,
    so that they see this statement too.
    """
    connection = db_connection
    if (
        connection.vendor != "postgresql"
        or connection.queries_logged
        or connection.execute_wrappers
    ):
        return False
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    # Django turns psycopg's prepared statements off (prepare_threshold None) for poolers in
    # transaction mode, which would lose them between transactions. DISABLE_SERVER_SIDE_CURSORS
    # is the setting such a pooler needs (config/settings/env.py leaves it False): without it,
    # turn preparing back on for this connection. It only changes cursors that bind on the
    # server, as this one does; Django's own bind on the client and are never prepared.
    if raw.prepare_threshold is None and not connection.settings_dict.get(
        "DISABLE_SERVER_SIDE_CURSORS"
    ):
        raw.prepare_threshold = PREPARE_THRESHOLD
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, params, prepare=raw.prepare_threshold is not None)
    return True


def _error_detail(error: Exception) -> str:
    """The server's answer as an operator reads it (``421 4.3.2 …``), else the error's text.

    smtplib's own ``str()`` of a refusal is a tuple or a dict of bytes, address included.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values())
        if answers:
            error = smtplib.SMTPResponseException(*answers[0])
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        return f"{error.smtp_code} {message}"[:500]
    return str(error)[:500]


def _smtp_code(error: smtplib.SMTPException) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        return min(codes) if codes else None
    return getattr(error, "smtp_code", None)


def send_chunk(send_id: int, first_id: int, last_id: int) -> ChunkResult:
    """Send the unsent rows of one range of the ledger over one SMTP connection.

    Safe to run any number of times, concurrently or after a crash (docs/exactly-once.md).
    """
    send = Send.objects.select_related("topic", "revision").filter(pk=send_id).first()
    if send is None or send.status != Status.SENDING:
        return ChunkResult()
    token = uuid.uuid4()
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(send_id=send_id, pk__gte=first_id, pk__lte=last_id)
        .filter(claimable(now))
        .update(state=State.SENDING, claim_token=token, claimed_until=now + _lease())
    )
    if not claimed:
        finish_if_complete(send_id)
        return ChunkResult()
    chunk = _Chunk(send, token, Personaliser(rendered_issue(send)))
    rows = list(chunk.mine().order_by("pk").values_list("pk", "subscriber_id", "attempts"))
    # Unsubscribed, erased or suppressed since the ledger was written: not sent.
    recipients = {
        pk: (email, public_id)
        for pk, email, public_id in mailable_subscribers(send.topic)
        .filter(pk__in=[subscriber_id for _pk, subscriber_id, _attempts in rows])
        .values_list("pk", "email", "public_id")
    }
    chunk.result.suppressed = (
        chunk.mine()
        .filter(state=State.SENDING)
        .exclude(subscriber_id__in=list(recipients))
        .update(state=State.SUPPRESSED, claim_token=None, claimed_until=None)
    )
    relaxed = _relax_commits()
    try:
        for pk, subscriber_id, attempts in rows:
            if subscriber_id not in recipients:
                continue
            if not chunk.still_sending():
                break
            if not chunk.send_one(pk, recipients[subscriber_id], subscriber_id, attempts):
                # Connection lost: leave the rest for a retry after a pause.
                delay = _backoff(attempts + 1)
                chunk.result.retry_in = min(chunk.result.retry_in or delay, delay)
                break
    finally:
        chunk._reconnect()
        _settle_unsent(chunk)
        if relaxed:
            _restore_commits()
    Send.objects.filter(pk=send_id).update(last_activity_at=timezone.now())
    if chunk.result.retry_in is not None:
        queue(tasks.send_chunk, send_id, first_id, last_id, countdown=chunk.result.retry_in)
    finish_if_complete(send_id)
    return chunk.result


def _relax_commits() -> bool:
    """On PostgreSQL, do not wait for the disk on each ledger commit while sending.

    A commit is still atomic and visible to every other session at once, and survives the
    death of the worker; only a crash of the PostgreSQL server itself could lose the last
    fraction of a second of "sent" marks, whose rows would then be sent again (see
    docs/exactly-once.md). In exchange the per-message UPDATE no longer waits for a disk flush.
    """
    if db_connection.vendor != "postgresql":
        return False
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    return True


def _restore_commits() -> None:
    with db_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO DEFAULT")


def _settle_unsent(chunk: _Chunk) -> None:
    """Rows this run claimed but did not get to: back to the queue, or cancelled."""
    status = Send.objects.filter(pk=chunk.send.pk).values_list("status", flat=True).first()
    if status == Status.CANCELLED:
        chunk.release(state=State.CANCELLED)
    else:
        chunk.release(state=State.QUEUED)


def finish_if_complete(send_id: int) -> bool:
    if Delivery.objects.filter(send_id=send_id, state__in=[State.QUEUED, State.SENDING]).exists():
        return False
    return bool(
        Send.objects.filter(pk=send_id, status=Status.SENDING).update(
            status=Status.DONE, finished_at=timezone.now()
        )
    )
