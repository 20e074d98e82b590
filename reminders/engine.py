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


class Slot(Protocol):
    """A reminder of a plan: its key in the ledger, its label and its time."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def due_at(self) -> datetime: ...


SlotT = TypeVar("SlotT", bound=Slot)

#: Skip reasons every kind of run has (their values, in each run's ``SkipReason``).
SUPERSEDED = "superseded"
REMOVED = "removed"


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


def record_skipped(model: type[Run], slot: Slot, reason: str, **owner: Any) -> None:
    """Record ``slot`` of ``owner`` (``contest=…``, ``event=…``) as skipped, unless finished."""
    run, created = model._default_manager.get_or_create(
        **owner,
        slot_key=slot.key,
        defaults={
            "label": slot.label,
            "due_at": slot.due_at,
            "status": RunStatus.SKIPPED,
            "skip_reason": reason,
            "finished_at": timezone.now(),
        },
    )
    if not created:
        finish(model, run.pk, RunStatus.SKIPPED, reason, only_from=UNFINISHED)


def open_run(model: type[Run], slot: Slot, **owner: Any) -> Run:
    """The run of ``slot`` of ``owner``, created once whoever asks (unique per owner and slot).

    An unfinished run follows its slot's time when the plan moved it.
    """
    run, created = model._default_manager.get_or_create(
        **owner, slot_key=slot.key, defaults={"label": slot.label, "due_at": slot.due_at}
    )
    if not created and not run.is_finished and run.due_at != slot.due_at:
        model._default_manager.filter(pk=run.pk).update(due_at=slot.due_at)
    return run


def hand_out_due(
    model: type[Run],
    owner_field: str,
    plans: Iterable[tuple[models.Model, list[SlotT]]],
    now: datetime,
    hand_out: Callable[[int], Any],
) -> list[int]:
    """Beat's round for one kind: hand out the runs with work to do; return their ids.

    ``plans`` are the owners whose slots may be due now, each with its schedule: the latest
    due slot gets its run, the earlier ones unfinished are recorded as skipped (superseded).
    The unfinished runs of the other owners are handed out too: their task records why they
    stop (closed, started, unpublished…) or gives them back.
    """
    to_hand_out: list[int] = []
    owner_ids = []
    for owner, schedule in plans:
        owner_ids.append(owner.pk)
        superseded, current = split_due(schedule, now)
        for slot in superseded:
            record_skipped(model, slot, SUPERSEDED, **{owner_field: owner})
        if current is not None:
            to_hand_out.append(open_run(model, current, **{owner_field: owner}).pk)
    to_hand_out += (
        model._default_manager.filter(status__in=UNFINISHED)
        .exclude(**{f"{owner_field}_id__in": owner_ids})
        .values_list("pk", flat=True)
    )
    handed = claimable(model, to_hand_out, now)
    for pk in handed:
        hand_out(pk)
    return handed


def slot_verdict(schedule: list[SlotT], slot_key: str, now: datetime, *, force: bool) -> str | None:
    """Whether a run's slot goes now (None), or ``REMOVED``, ``SUPERSEDED`` or ``WAIT``.

    ``force`` sends a slot still in the plan before its time (the management commands).
    """
    if slot_key not in {slot.key for slot in schedule}:
        return REMOVED
    if force:
        return None
    superseded, current = split_due(schedule, now)
    if current is not None and current.key == slot_key:
        return None
    if slot_key in {slot.key for slot in superseded}:
        return SUPERSEDED
    return WAIT  # the plan moved later: this slot is no longer due


def slot_run(model: type[Run], schedule: list[SlotT], slot_key: str, **owner: Any) -> Run:
    """The run of the slot ``slot_key`` (for sending it now); ``LookupError`` if not planned."""
    slot = next((s for s in schedule if s.key == slot_key), None)
    if slot is None:
        raise LookupError(slot_key)
    return open_run(model, slot, **owner)


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
