"""The outbox: every email but the newsletter issues is written here, then delivered once.

``queue_email`` writes the row inside the caller's transaction and, once it commits, makes
sure a drain task is on its way: one task sends every row due, so a burst of sign-ups costs
one Celery message, not one each (``ops.queueing.queue_unless_pending``). If the broker is
unreachable at that moment nothing is lost: the ``drain_outbox`` beat task sends every row
still unsent, and retries failed ones with a pause. ``deliver`` claims a row with a
conditional update before sending, so a row is sent once however many drains reach it; the
same statement returns the row (``claim_row``).

Each worker process keeps its SMTP connection from one email to the next (``KeptConnection``):
for a confirmation, opening and closing a connection cost more than the message itself.
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from datetime import timedelta

from celery import Task

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils import timezone

from ops.queueing import queue_unless_pending, queue_unless_pending_after_commit, task_started

from .durable_write import record_after_delivery
from .models import OutboxEmail

logger = logging.getLogger(__name__)

# How long "a drain is queued" holds back further messages. Longer saves a few messages in a
# long burst; it is also how long a drain message lost with its flag still set (a worker killed
# with the message prefetched) keeps later rows from queueing one, before beat's sweep.
DRAIN_FLAG_SECONDS = 10.0
# Rows one drain task goes through before it hands over to a fresh one, so that a long burst
# does not keep a pool process from every other task.
DRAIN_BATCH = 100
DRAIN_TASK_LIMIT = 2000


def queue_email(email: OutboxEmail) -> OutboxEmail:
    """Save ``email`` in the outbox; once the current transaction commits, see that a drain
    task will send it (queued unless one queued earlier has not started yet)."""
    email.save()
    queue_unless_pending_after_commit(_drain_task(), ttl=DRAIN_FLAG_SECONDS)
    return email


def _drain_task() -> Task:
    from .tasks import send_due_outbox  # the tasks module imports this one

    return send_due_outbox


def build_message(email: OutboxEmail) -> EmailMessage:
    """The message an outbox row stands for: everything the row carries goes in here."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers=email.headers,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


class KeptConnection:
    """This process's SMTP connection, kept open from one outbox email to the next.

    A confirmation is a few kilobytes; the TCP handshake, greeting, ``EHLO`` and ``QUIT`` of a
    connection of its own cost more than sending it. The connection is reused only while it is
    sound: one the server has closed or spoken on since (an idle timeout's ``421``) is dropped
    before any message goes near it, one that failed is dropped after the failure, and one left
    idle for ``IDLE_SECONDS`` is closed by a watcher thread. A failure is handled as before
    (back-off, sent again later): reuse never sends a row a second time by itself.
    Only SMTP connections are kept: the file and memory backends have nothing to save.
    """

    IDLE_SECONDS = 10.0

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.backend: SmtpBackend | None = None
        self.settings_key: tuple[object, ...] = ()
        self.last_used = 0.0
        self.pid = os.getpid()
        self.watcher: threading.Thread | None = None

    def send(self, message: EmailMessage) -> None:
        """Send ``message`` on the kept connection (opened if need be); raise what sending
        raises, after dropping the connection."""
        backend = get_connection()
        if not isinstance(backend, SmtpBackend):
            with backend:
                backend.send_messages([message])
            return
        with self.lock:
            kept = self._reusable(backend)
            try:
                if kept.connection is None:
                    kept.open()
                kept.send_messages([message])
            except BaseException:
                self.backend = kept  # a fresh connection that failed is closed too
                self._drop()
                raise
            self.backend = kept
            self.last_used = time.monotonic()
            self._watch()

    def close(self) -> None:
        with self.lock:
            self._drop()

    def _reusable(self, fresh: SmtpBackend) -> SmtpBackend:
        """The kept backend if it still suits and its connection is quiet, else ``fresh``."""
        key = (type(fresh), fresh.host, fresh.port, fresh.username, fresh.use_tls, fresh.use_ssl)
        if os.getpid() != self.pid:  # a forked child must not share its parent's socket
            self.backend, self.pid = None, os.getpid()
        if self.backend is not None and (key != self.settings_key or not self._quiet()):
            self._drop()
        self.settings_key = key
        return self.backend or fresh

    def _quiet(self) -> bool:
        """True when nothing is waiting on the socket: an idle SMTP server says nothing unless
        it is closing (end of stream, or a ``421`` first)."""
        connection = self.backend.connection if self.backend else None
        sock = getattr(connection, "sock", None)
        if sock is None:
            return False
        try:
            readable, _, _ = select.select([sock], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable

    def _drop(self) -> None:
        backend, self.backend = self.backend, None
        if backend is not None:
            backend.fail_silently = True  # QUIT on a broken connection must not raise
            backend.close()

    def _watch(self) -> None:
        if self.watcher is None or not self.watcher.is_alive():
            self.watcher = threading.Thread(
                target=self._close_when_idle, name="outbox-smtp-idle", daemon=True
            )
            self.watcher.start()

    def _close_when_idle(self) -> None:
        while True:
            time.sleep(self.IDLE_SECONDS / 4)
            with self.lock:
                if self.backend is None:
                    return
                if time.monotonic() - self.last_used >= self.IDLE_SECONDS:
                    self._drop()
                    return


kept_connection = KeptConnection()


def send_message(message: EmailMessage) -> None:
    """Send one message over this process's kept connection (see ``KeptConnection``)."""
    kept_connection.send(message)


def deliver(outbox_id: int) -> bool:
    """Send one outbox row if nobody else has; return whether this call sent it."""
    email = OutboxEmail.objects.claim_row(outbox_id)
    if email is None:
        return False
    try:
        send_message(build_message(email))
    except Exception as error:
        # Back off: the claim is kept a little longer with each failed attempt.
        retry_at = timezone.now() + timedelta(minutes=min(5 * email.attempts, 60))
        OutboxEmail.objects.filter(pk=outbox_id).update(
            claimed_until=retry_at, last_error=str(error)[:2000]
        )
        logger.warning("Échec de l'envoi du courriel %s : %s", outbox_id, error)
        return False
    sent_at = timezone.now()
    record_after_delivery(
        lambda: OutboxEmail.objects.filter(pk=outbox_id).update(
            sent_at=sent_at, claimed_until=None, last_error=""
        ),
        f"le courriel {outbox_id}",
    )
    return True


def drain_outbox(limit: int = 200) -> int:
    """Send due rows (oldest first) until none is left or ``limit`` were tried; return how
    many this call sent.

    Every row tried is claimed (by this call or another) or gone when the next query runs, so
    the loop ends once the rows committed meanwhile stop coming.
    """
    sent = tried = 0
    while tried < limit:
        due = list(
            OutboxEmail.objects.due()
            .order_by("created_at")
            .values_list("pk", flat=True)[: min(DRAIN_BATCH, limit - tried)]
        )
        if not due:
            break
        for outbox_id in due:
            sent += deliver(outbox_id)
        tried += len(due)
    return sent


def send_due(limit: int = DRAIN_TASK_LIMIT) -> int:
    """The drain ``queue_email`` queues: clear the "queued" flag, then send what is due.

    The flag is cleared before the first query: a row committed after that query finds it
    clear and queues a drain of its own, and a row that found it set was committed before it
    was cleared, so this drain's queries see it. A drain that stops at ``limit`` with rows
    still due asks for another rather than keeping its pool process.
    """
    task = _drain_task()
    task_started(task)
    sent = drain_outbox(limit)
    if OutboxEmail.objects.due().exists():
        queue_unless_pending(task, ttl=DRAIN_FLAG_SECONDS)
    return sent
