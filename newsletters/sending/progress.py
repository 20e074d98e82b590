"""A send's counts, rate and last refusal, as the admin's progress page shows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Min
from django.utils import timezone

from ..models import Delivery, Send

State = Delivery.State
Status = Send.Status


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
    # COUNT(*), not COUNT(id): PostgreSQL can then answer from the (send, state) index alone.
    counts = dict(
        Delivery.objects.filter(send=send)
        .values_list("state")
        .annotate(n=Count("*"))
        .values_list("state", "n")
    )
    now = timezone.now()
    window = 30
    recent = Delivery.objects.filter(
        send=send, sent_at__gte=now - timedelta(seconds=window)
    ).aggregate(count=Count("*"), first=Min("sent_at"))
    # Over the time since the window's first message, not since the send started: writing a
    # large ledger takes a while before the first message, and counting that time in made a
    # send of 100,000 look six times slower than it was for its first half minute.
    first = recent["first"]
    elapsed = min(max((now - first).total_seconds(), 1.0), window) if first else window
    rate = recent["count"] / elapsed
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
