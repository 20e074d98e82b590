"""The reminder engine every kind of reminder (contest votes, registered events) runs on.

What it guarantees, whatever the kind: a run (one slot) is sent by one worker at a time under
a lease taken with a conditional UPDATE; each recipient's ledger row and outbox email are
written in one transaction, so a unique ledger row is what makes an email exist; a run ends as
*sent* only when a pass finds nobody left without a row. docs/reminders.md says why.

A kind of reminder gives the engine its run model (a ``models.Run``) and, for each pass, a
``Batch`` of recipients with the function that sends one of them, or the reason to stop.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from mailing.models import OutboxEmail
from mailing.outbox import queue_email

from .models import UNFINISHED, Run, RunStatus


class Timed(Protocol):
    @property
    def due_at(self) -> datetime: ...


SlotT = TypeVar("SlotT", bound=Timed)


def split_due(schedule: list[SlotT], now: datetime) -> tuple[list[SlotT], SlotT | None]:
    """(superseded slots, the slot to send): only the latest slot already due is sent.

    Nobody gets two reminders at once after an outage: the earlier ones are skipped.
    """
    due = [slot for slot in schedule if slot.due_at <= now]
    if not due:
        return [], None
    return due[:-1], due[-1]


#: What ``next_batch`` answers when the run must be given back for a later beat (not due).
WAIT = "wait"


@dataclass(frozen=True)
class Batch:
    """The next recipients of a run (ordered by ``pk``) and how to send one of them.

    ``send`` returns whether it queued an email (False: not owed, or already in the ledger).
    An empty batch means everyone has a ledger row: the run is finished.
    """

    recipients: Sequence[Any]
    send: Callable[[Any], bool]


#: Given the run and the ``pk`` of the last recipient handled (0 at first): the next batch, or
#: a skip reason, or ``WAIT``.
NextBatch = Callable[[Any, int], Batch | str]


def finish(
    model: type[Run],
    run_id: int,
    status: str,
    reason: str = "",
    *,
    only_from: tuple[str, ...] = (RunStatus.SENDING,),
) -> bool:
    """Mark a run sent or skipped, if it is still in one of the ``only_from`` states."""
    return bool(
        model._default_manager.filter(pk=run_id, status__in=only_from).update(
            status=status, skip_reason=reason, finished_at=timezone.now(), claimed_until=None
        )
    )


def release(model: type[Run], run_id: int) -> None:
    """Give a claimed run back (not due any more): the next beat looks at it again."""
    model._default_manager.filter(pk=run_id, status=RunStatus.SENDING).update(
        status=RunStatus.PENDING, claimed_until=None
    )


def record_skipped(model: type[Run], reason: str, *, label: str, due_at: datetime, **key: Any):
    """Record a slot (``key``: its owner and ``slot_key``) as skipped, unless it finished."""
    run, created = model._default_manager.get_or_create(
        **key,
        defaults={
            "label": label,
            "due_at": due_at,
            "status": RunStatus.SKIPPED,
            "skip_reason": reason,
            "finished_at": timezone.now(),
        },
    )
    if not created:
        finish(model, run.pk, RunStatus.SKIPPED, reason, only_from=UNFINISHED)
    return run


def open_run(model: type[Run], *, label: str, due_at: datetime, **key: Any) -> Run:
    """The run of a due slot, created once whoever asks (unique on its ``key``).

    An unfinished run follows its slot's time when the plan moved it.
    """
    run, created = model._default_manager.get_or_create(
        **key, defaults={"label": label, "due_at": due_at}
    )
    if not created and not run.is_finished and run.due_at != due_at:
        model._default_manager.filter(pk=run.pk).update(due_at=due_at)
    return run


def claimable(model: type[Run], run_ids: Iterable[int], now: datetime) -> list[int]:
    """Of ``run_ids``, those unfinished and not leased: what beat hands out, oldest first."""
    return list(
        model._default_manager.filter(pk__in=list(run_ids), status__in=UNFINISHED)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )


def deliver_once(
    ledger_row: Callable[[], models.Model],
    email: OutboxEmail,
    still_owed: Callable[[], bool] | None = None,
) -> bool:
    """One recipient's transaction: the ledger row and the email; False if nothing was queued.

    ``ledger_row`` inserts the unique row: when another worker has it already, the insert
    raises ``IntegrityError`` and the transaction rolls back with its email. ``still_owed``
    runs next in the same transaction (it may lock and read the recipient again): False rolls
    the row back and sends nothing. The insert comes first so that the transaction writes
    before it reads: on SQLite a transaction that read and then writes fails at once if
    another wrote meanwhile, where one that writes first waits for the lock.
    """
    try:
        with transaction.atomic():
            row = ledger_row()
            if still_owed is not None and not still_owed():
                transaction.set_rollback(True)
                return False
            queue_email(email)
            row.outbox = email  # type: ignore[attr-defined]
            row.save(update_fields=["outbox"])
    except IntegrityError:
        return False
    return True


def send_run(model: type[Run], run_id: int, next_batch: NextBatch) -> int:
    """Claim a run and send it batch by batch; return how many emails this call queued.

    The lease is renewed after each batch; a run skipped meanwhile stops there.
    """
    manager: Any = model._default_manager
    if not manager.claim(run_id):
        return 0
    run = manager.get(pk=run_id)
    queued, last_pk = 0, 0
    while True:
        step = next_batch(run, last_pk)
        if step == WAIT:
            release(model, run_id)
            return queued
        if isinstance(step, str):
            finish(model, run_id, RunStatus.SKIPPED, step)
            return queued
        if not step.recipients:
            finish(model, run_id, RunStatus.SENT)
            return queued
        for recipient in step.recipients:
            queued += step.send(recipient)
        last_pk = step.recipients[-1].pk
        if not manager.renew(run_id):
            return queued
