"""Sending an approved issue to its topic's confirmed subscribers, exactly once each.

How exactly-once holds
======================
The Celery queue is at-least-once (``acks_late`` + ``reject_on_worker_lost``: a message whose
worker died, or whose Redis restarted before the ack, is delivered again). The ledger makes
repeating harmless, and the database, not the queue, decides what is left to do:

1. ``start_send`` writes one ``Delivery`` row per recipient in one transaction, with a unique
   ``(send, subscriber)`` constraint: an address cannot be listed twice, nor listed in a retry.
2. ``send_chunk`` (a Celery task over a range of row ids) first *claims* the rows it will send
   with one conditional UPDATE: ``queued`` (or ``sending`` whose lease ran out) becomes
   ``sending`` with the worker's random claim token and a lease. Two copies of one chunk (a
   redelivered message, a retried task, the watchdog) cannot both claim a row; a row already
   ``sent`` is never claimable again, so redelivery after a crash never resends it.
3. After the SMTP server accepts a message (250 to DATA), its row is marked ``sent`` in an
   UPDATE that also checks the claim token, before the next message is started.
4. ``tick_sends`` (beat) re-dispatches chunks for a send whose rows are still claimable but
   whose workers have been silent for a while: a chunk message lost with a restarted Redis,
   or the rows of a killed worker once their lease has run out, are sent, never skipped.

The remaining window
--------------------
A worker killed (or a database lost) *between the server's 250 reply and the commit of the
``sent`` UPDATE* leaves that one row ``sending``; when its lease runs out it is sent again.
That is at most one message per worker process per crash, the time of one UPDATE (well under a
millisecond on a local PostgreSQL), and the copy carries the same Message-ID (derived from the
send and the subscriber) so that mail systems that deduplicate on it drop it. A worker that
lives on but loses its database connection there retries the UPDATE on a new connection for a
few seconds (``ledger.record_after_delivery``), so a cut connection alone sends nothing twice. On
PostgreSQL the ledger commits of a chunk do not wait for the disk (``synchronous_commit off``):
a crash of the database server itself, not of a worker, can also lose the last ~0.6 s of "sent"
marks, which widens that window to those few messages, and only then. A worker killed
at any other moment sends no duplicate: rows claimed but not yet sent are simply sent by the
next owner, and the message in flight before the 250 was not accepted by the server. Marking
the row ``sent`` *before* SMTP would turn that window into a silent skip instead; we prefer a
rare duplicate to a reader who never gets the issue.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kombu.exceptions import OperationalError as KombuOperationalError

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Page

from .audience import mailable_subscribers
from .ledger import record_after_delivery
from .models import Delivery, NewsletterPage, Send, Subscriber, Suppression
from .rendering import Personaliser, RenderedIssue, message_id, render_issue
from .throttle import Throttle

logger = logging.getLogger(__name__)

State = Delivery.State
Status = Send.Status
OPEN_SEND_STATUSES = [Status.SCHEDULED, Status.SENDING, Status.PAUSED]
# How often a worker looks at the send's status (pause, cancel) and says it is alive.
STATUS_CHECK_SECONDS = 1.0
HEARTBEAT_SECONDS = 10.0


class NotSendable(Exception):
    """The issue may not be sent now; ``reasons`` says why, in French."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


# ---------------------------------------------------------------------------- may it be sent?


def sendability_problems(page: NewsletterPage, *, ignore_send: Send | None = None) -> list[str]:
    """Why ``page`` cannot be sent now; an empty list means it can.

    What is sent is the live revision, so it must be the approved one: live, no later edit,
    no review under way.
    """
    problems: list[str] = []
    if not page.live or page.live_revision_id is None:
        problems.append(
            _("La lettre n'est pas publiée : elle doit être approuvée puis publiée avant l'envoi.")
        )
    elif page.has_unpublished_changes or page.live_revision_id != page.latest_revision_id:
        problems.append(
            _(
                "La lettre a été modifiée depuis son approbation : ces modifications doivent être "
                "approuvées et publiées avant l'envoi."
            )
        )
    if page.workflow_in_progress:
        problems.append(_("Une relecture de la lettre est en cours : attendez son approbation."))
    if not page.topic.is_active:
        problems.append(
            _("Le thème « %(topic)s » n'est plus proposé : personne ne recevrait cette lettre.")
            % {"topic": page.topic.name}
        )
    sends = Send.objects.filter(page=page)
    if ignore_send is not None:
        sends = sends.exclude(pk=ignore_send.pk)
    if sends.filter(status__in=OPEN_SEND_STATUSES).exists():
        problems.append(_("Un envoi de cette lettre est déjà programmé ou en cours."))
    elif done := sends.filter(status=Status.DONE).order_by("-finished_at").first():
        problems.append(
            _(
                "Cette lettre a déjà été envoyée le %(date)s. Pour les adresses en échec, "
                "utilisez « Renvoyer aux échecs »."
            )
            % {"date": timezone.localtime(done.finished_at).strftime("%d/%m/%Y à %H:%M")}
        )
    return problems


def recipient_count(page: NewsletterPage) -> int:
    return _audience(page.pk, page.topic).count()


def _audience(page_id: int, topic: Any) -> Any:
    """Who a send of ``page_id`` goes to: the topic's mailable subscribers, less anyone who
    already received this issue in an earlier (cancelled) send."""
    already = Delivery.objects.filter(
        send__page_id=page_id, subscriber=OuterRef("pk"), state=State.SENT
    )
    return mailable_subscribers(topic).exclude(Exists(already))


def create_send(page: NewsletterPage, user: Any, scheduled_at: datetime | None = None) -> Send:
    """Record a send of the page's live revision, now or at ``scheduled_at``.

    Raises ``NotSendable`` if the page may not be sent; the check runs again here, with the
    page locked, whatever the form that led here showed.
    """
    with transaction.atomic():
        Page.objects.select_for_update().filter(pk=page.pk).first()
        page = NewsletterPage.objects.select_related("topic").get(pk=page.pk)
        problems = sendability_problems(page)
        if problems:
            raise NotSendable(problems)
        revision = page.live_revision
        approved = revision.as_object()
        send = Send.objects.create(
            page=page,
            revision=revision,
            topic_id=approved.topic_id,
            subject=approved.subject,
            created_by=user if getattr(user, "pk", None) else None,
            scheduled_at=scheduled_at or timezone.now(),
        )
        if send.scheduled_at <= timezone.now():
            transaction.on_commit(lambda: _enqueue("start_send", send.pk))
    return send


def _enqueue(task_name: str, *args: Any, countdown: float | None = None) -> None:
    """Queue a task; if the broker is down, ``tick_sends`` will do the work later."""
    from . import tasks

    try:
        getattr(tasks, task_name).apply_async(args=args, countdown=countdown, retry=False)
    except (KombuOperationalError, OSError):
        logger.warning(
            "Tâche %s%s non mise en file ; la ronde la reprendra.", task_name, args, exc_info=True
        )


# ---------------------------------------------------------------------------- fan-out


def start_send(send_id: int) -> bool:
    """Write the ledger for a due send and dispatch its chunks; False if not due or taken."""
    with transaction.atomic():
        send = (
            Send.objects.select_for_update(skip_locked=True)
            .filter(pk=send_id, status=Status.SCHEDULED, scheduled_at__lte=timezone.now())
            .select_related("page", "topic")
            .first()
        )
        if send is None:
            return False
        page = NewsletterPage.objects.select_related("topic").get(pk=send.page_id)
        problems = sendability_problems(page, ignore_send=send)
        if not problems and page.live_revision_id != send.revision_id:
            problems = [_("La lettre a été modifiée et approuvée à nouveau depuis la demande.")]
        now = timezone.now()
        if problems:
            Send.objects.filter(pk=send.pk).update(
                status=Status.CANCELLED, finished_at=now, status_message=" ".join(problems)[:255]
            )
            return False
        count = _write_ledger(send)
        Send.objects.filter(pk=send.pk).update(
            status=Status.SENDING if count else Status.DONE,
            started_at=now,
            finished_at=None if count else now,
            recipient_count=count,
            last_activity_at=now,
        )
        transaction.on_commit(lambda: dispatch_chunks(send_id))
    return True


def _write_ledger(send: Send) -> int:
    """One INSERT … SELECT: the audience never passes through Python, whatever its size."""
    audience = _audience(send.page_id, send.topic).order_by().values(audience_id=F("pk"))
    select_sql, params = audience.query.sql_with_params()
    table = Delivery._meta.db_table
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (send_id, subscriber_id, state, attempts, last_error) "  # noqa: S608
            f"SELECT %s, audience.audience_id, %s, 0, '' FROM ({select_sql}) audience "
            "ORDER BY audience.audience_id",
            [send.pk, State.QUEUED, *params],
        )
        return cursor.rowcount


def dispatch_chunks(send_id: int) -> int:
    """Queue one ``send_chunk`` per range of unsent rows; return how many were queued."""
    size = settings.NEWSLETTERS_CHUNK_SIZE
    ids = (
        Delivery.objects.filter(send_id=send_id, state__in=[State.QUEUED, State.SENDING])
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=5000)
    )
    chunks = 0
    batch: list[int] = []
    for pk in ids:
        batch.append(pk)
        if len(batch) == size:
            _enqueue("send_chunk", send_id, batch[0], batch[-1])
            chunks += 1
            batch = []
    if batch:
        _enqueue("send_chunk", send_id, batch[0], batch[-1])
        chunks += 1
    if not chunks:
        finish_if_complete(send_id)
    return chunks


# ---------------------------------------------------------------------------- one chunk

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


def _claimable(now: datetime) -> Q:
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

    def __init__(self, send: Send, token: uuid.UUID) -> None:
        self.send = send
        self.token = token
        self.result = ChunkResult()
        self.connection = get_connection()
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
        personaliser: Personaliser,
        attempts: int,
    ) -> bool:
        """Send one row; False if the connection is lost and the chunk should stop."""
        address, public_id = subscriber
        message = personaliser.build(
            address, public_id, message_id=message_id(self.send.pk, subscriber_id)
        )
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
        # the row "sending" and it is sent again once its lease runs out (see module doc).
        self.mark_sent(pk)
        self.result.sent += 1
        return True

    def mark_sent(self, pk: int) -> None:
        """The ledger write after each accepted message, as one plain statement: it runs once
        per recipient, so it skips the ORM's query building.

        The server has the message by now, so this write must survive a lost database
        connection (PostgreSQL restarted or failed over, the session ended by an administrator
        or a proxy): given up, it would leave the row ``sending`` and the message would be sent
        a second time once the lease runs out. It is tried again on a new connection; it is
        idempotent, as it only matches while this run still holds the row.
        """
        params = (State.SENT, timezone.now(), pk, self.token.hex)

        def write() -> None:
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

    Safe to run any number of times, concurrently or after a crash (see the module doc).
    """
    send = Send.objects.select_related("topic", "revision").filter(pk=send_id).first()
    if send is None or send.status != Status.SENDING:
        return ChunkResult()
    token = uuid.uuid4()
    now = timezone.now()
    claimed = (
        Delivery.objects.filter(send_id=send_id, pk__gte=first_id, pk__lte=last_id)
        .filter(_claimable(now))
        .update(state=State.SENDING, claim_token=token, claimed_until=now + _lease())
    )
    chunk = _Chunk(send, token)
    if not claimed:
        finish_if_complete(send_id)
        return chunk.result
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
    personaliser = Personaliser(rendered_issue(send))
    relaxed = _relax_commits()
    try:
        for pk, subscriber_id, attempts in rows:
            if subscriber_id not in recipients:
                continue
            if not chunk.still_sending():
                break
            if not chunk.send_one(
                pk, recipients[subscriber_id], subscriber_id, personaliser, attempts
            ):
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
        _enqueue("send_chunk", send_id, first_id, last_id, countdown=chunk.result.retry_in)
    finish_if_complete(send_id)
    return chunk.result


def _relax_commits() -> bool:
    """On PostgreSQL, do not wait for the disk on each ledger commit while sending.

    A commit is still atomic and visible to every other session at once, and survives the
    death of the worker; only a crash of the PostgreSQL server itself could lose the last
    fraction of a second of "sent" marks, whose rows would then be sent again (see the module
    doc). In exchange the per-message UPDATE no longer waits for a disk flush.
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


# ---------------------------------------------------------------------------- controls


def pause(send: Send) -> bool:
    return bool(Send.objects.filter(pk=send.pk, status=Status.SENDING).update(status=Status.PAUSED))


def resume(send: Send) -> bool:
    with transaction.atomic():
        resumed = Send.objects.filter(pk=send.pk, status=Status.PAUSED).update(
            status=Status.SENDING, last_activity_at=timezone.now()
        )
        if resumed:
            transaction.on_commit(lambda: dispatch_chunks(send.pk))
    return bool(resumed)


def cancel(send: Send) -> bool:
    """Stop a scheduled, running or paused send: nobody else gets it."""
    with transaction.atomic():
        cancelled = Send.objects.filter(pk=send.pk, status__in=OPEN_SEND_STATUSES).update(
            status=Status.CANCELLED, finished_at=timezone.now()
        )
        if cancelled:
            Delivery.objects.filter(send=send, state=State.QUEUED).update(state=State.CANCELLED)
    return bool(cancelled)


def resend_failed(send: Send) -> int:
    """Put the failed rows of a finished send back in the queue; return how many."""
    if not Delivery.objects.filter(send=send, state=State.FAILED).exists():
        return 0
    with transaction.atomic():
        if not Send.objects.filter(pk=send.pk, status=Status.DONE).update(
            status=Status.SENDING, finished_at=None, last_activity_at=timezone.now()
        ):
            return 0
        count = Delivery.objects.filter(send=send, state=State.FAILED).update(
            state=State.QUEUED, attempts=0, not_before=None, smtp_code=None, last_error=""
        )
        transaction.on_commit(lambda: dispatch_chunks(send.pk))
    return count


def tick() -> None:
    """Beat: start due sends, revive stalled ones, tidy cancelled ones."""
    now = timezone.now()
    for send_id in Send.objects.filter(status=Status.SCHEDULED, scheduled_at__lte=now).values_list(
        "pk", flat=True
    ):
        start_send(send_id)
    # A send whose workers have said nothing for this long gets its chunks dispatched again.
    stalled_before = now - timedelta(seconds=settings.NEWSLETTERS_STALL_SECONDS)
    for send_id in (
        Send.objects.filter(status=Status.SENDING)
        .filter(Q(last_activity_at__isnull=True) | Q(last_activity_at__lt=stalled_before))
        .values_list("pk", flat=True)
    ):
        if Delivery.objects.filter(send_id=send_id).filter(_claimable(now)).exists():
            Send.objects.filter(pk=send_id).update(last_activity_at=now)
            dispatch_chunks(send_id)
        else:
            finish_if_complete(send_id)
    Delivery.objects.filter(
        send__status=Status.CANCELLED, state=State.SENDING, claimed_until__lt=now
    ).update(state=State.CANCELLED, claim_token=None, claimed_until=None)


# ---------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class Progress:
    total: int
    queued: int
    sending: int
    sent: int
    failed: int
    suppressed: int
    cancelled: int
    rate: float  # messages a second over the last minute
    eta_seconds: float | None
    # Rows back in the queue after a transient refusal, and the server's latest refusal: an
    # operator looking at a send that slows down or stalls sees that it is retrying, and why.
    retrying: int = 0
    last_error: str = ""

    @property
    def done_percent(self) -> int:
        finished = self.sent + self.failed + self.suppressed + self.cancelled
        return round(100 * finished / self.total) if self.total else 100


def progress(send: Send) -> Progress:
    counts = dict(
        Delivery.objects.filter(send=send)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    now = timezone.now()
    window = 30
    recent = Delivery.objects.filter(
        send=send, sent_at__gte=now - timedelta(seconds=window)
    ).count()
    if send.started_at and (now - send.started_at).total_seconds() < window:
        elapsed = max((now - send.started_at).total_seconds(), 1.0)
    else:
        elapsed = float(window)
    rate = recent / elapsed
    remaining = counts.get(State.QUEUED, 0) + counts.get(State.SENDING, 0)
    eta = remaining / rate if rate and send.status == Status.SENDING else None
    refused = Delivery.objects.filter(send=send, state__in=[State.QUEUED, State.FAILED]).exclude(
        last_error=""
    )
    last_error = (
        refused.order_by(F("not_before").desc(nulls_last=True), "-pk")
        .values_list("last_error", flat=True)
        .first()
    )
    return Progress(
        total=sum(counts.values()),
        queued=counts.get(State.QUEUED, 0),
        sending=counts.get(State.SENDING, 0),
        sent=counts.get(State.SENT, 0),
        failed=counts.get(State.FAILED, 0),
        suppressed=counts.get(State.SUPPRESSED, 0),
        cancelled=counts.get(State.CANCELLED, 0),
        rate=rate,
        eta_seconds=eta,
        retrying=refused.filter(state=State.QUEUED).count(),
        last_error=last_error or "",
    )
