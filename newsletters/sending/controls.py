"""Pausing, resuming, cancelling and re-trying a send; beat's ``tick`` that keeps sends moving."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Delivery, Send
from .chunks import claimable, finish_if_complete
from .fanout import dispatch_chunks, start_send
from .rules import OPEN_SEND_STATUSES

State = Delivery.State
Status = Send.Status


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
        if Delivery.objects.filter(send_id=send_id).filter(claimable(now)).exists():
            Send.objects.filter(pk=send_id).update(last_activity_at=now)
            dispatch_chunks(send_id)
        else:
            finish_if_complete(send_id)
    Delivery.objects.filter(
        send__status=Status.CANCELLED, state=State.SENDING, claimed_until__lt=now
    ).update(state=State.CANCELLED, claim_token=None, claimed_until=None)
