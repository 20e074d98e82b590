"""Starting a due send: its per-recipient ledger in one statement, then one task per chunk."""

from __future__ import annotations

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.queueing import queue

from .. import tasks
from ..models import Delivery, NewsletterPage, Send
from .chunks import finish_if_complete
from .rules import audience, sendability_problems

State = Delivery.State
Status = Send.Status


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
    recipients = audience(send.page_id, send.topic).order_by().values(audience_id=F("pk"))
    select_sql, params = recipients.query.sql_with_params()
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
            queue(tasks.send_chunk, send_id, batch[0], batch[-1])
            chunks += 1
            batch = []
    if batch:
        queue(tasks.send_chunk, send_id, batch[0], batch[-1])
        chunks += 1
    if not chunks:
        finish_if_complete(send_id)
    return chunks
