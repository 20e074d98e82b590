"""Finding due reminder slots, sending them, and describing the plan (admin, command).

The guarantees and where they come from are set out in docs/reminders.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ops.queueing import queue
from programs.models import ContestPage
from programs.reminder_plan import PlannedReminder
from subscriptions.emails import absolute_url, render_email
from subscriptions.models import Subscriber

from . import engine
from .audience import owed_pending_count, owes, pending_recipients, reminder_recipients
from .engine import WAIT, Batch, split_due
from .models import ReminderDelivery, ReminderRun
from .tokens import make_opt_out_token

#: Recipients handled between two renewals of the run's lease.
CHUNK_SIZE = 200
#: How long after a vote closes its unsent slots are still looked at, to record them as skipped.
CLOSED_LOOKBACK = timedelta(days=7)

Status = ReminderRun.Status
SkipReason = ReminderRun.SkipReason


def reminders_to_come(contest: ContestPage, followed_since: datetime) -> list[PlannedReminder]:
    """The reminders someone following since ``followed_since`` will still be sent.

    What the confirmation and preferences pages announce: the slots owed to them by
    ``is_owed`` (the rule ``send_run`` applies to each recipient), less those that went out or
    were skipped already (a deadline moved later can put a sent slot back in the future; it is
    not sent twice) and those the next beat will skip because a later one is due.
    """
    now = timezone.now()
    if not contest.live or now >= contest.vote_closes_at:
        return []
    finished = set(
        ReminderRun.objects.filter(contest=contest)
        .exclude(status__in=ReminderRun.UNFINISHED)
        .values_list("slot_key", flat=True)
    )
    superseded, _current = split_due(contest.reminder_schedule(), now)
    dropped = finished | {slot.key for slot in superseded}
    return [slot for slot in contest.reminders_owed(followed_since) if slot.key not in dropped]


def open_contests(now: datetime) -> Any:
    return ContestPage.objects.live().filter(vote_opens_at__lte=now, vote_closes_at__gt=now)


def hand_out_to_celery(run_id: int) -> None:
    """Queue a run; if the broker is down, the next beat hands it out again."""
    from .tasks import send_reminder_run  # tasks imports this module

    queue(send_reminder_run, run_id)


def dispatch_due_reminders(hand_out: Callable[[int], Any] = hand_out_to_celery) -> list[int]:
    """Record superseded slots as skipped and hand out the runs that have work to do."""
    now = timezone.now()
    _record_missed_before_closing(now)
    plans = [(contest, contest.reminder_schedule()) for contest in open_contests(now)]
    return engine.hand_out_due(ReminderRun, "contest", plans, now, hand_out)


def _record_missed_before_closing(now: datetime) -> None:
    """Slots of recently closed contests that never went out are recorded as skipped."""
    recently_closed = ContestPage.objects.live().filter(
        vote_closes_at__lte=now, vote_closes_at__gt=now - CLOSED_LOOKBACK
    )
    for contest in recently_closed:
        for slot in contest.reminder_schedule():
            if contest.vote_opens_at <= slot.due_at < contest.vote_closes_at:
                engine.record_skipped(ReminderRun, slot, SkipReason.CLOSED, contest=contest)


def _stop_reason(run: ReminderRun, *, force: bool) -> str | None:
    """Why the run must not go on now: a skip reason, ``"wait"``, or None to go on."""
    now = timezone.now()
    contest = ContestPage.objects.live().filter(pk=run.contest_id).first()
    if contest is None:
        return SkipReason.UNPUBLISHED
    if now >= contest.vote_closes_at:
        return SkipReason.CLOSED
    if now < contest.vote_opens_at:
        return WAIT
    return engine.slot_verdict(contest.reminder_schedule(), run.slot_key, now, force=force)


def reminder_context(contest: ContestPage, slot_key: str) -> dict[str, Any]:
    """What every recipient's reminder of this slot shares."""
    entries = [
        {
            "name": entry.member.title,
            "project": entry.project,
            "url": absolute_url(entry.member.url) if entry.member.live and entry.member.url else "",
        }
        for entry in contest.entries.select_related("member").order_by("sort_order", "pk")
    ]
    closing = timezone.localtime(contest.vote_closes_at)
    return {
        "contest": contest,
        "contest_url": absolute_url(contest.url or "/"),
        "ical_url": absolute_url((contest.url or "/") + contest.reverse_subpage("ical")),
        "entries": entries,
        "last_day": slot_key.startswith("cloture-j0"),
        "closes_at": closing,
    }


def _deliver(subscriber: Subscriber, run: ReminderRun, context: dict[str, Any]) -> bool:
    """Ledger row and outbox email in one transaction; False if the ledger already had it."""
    token = make_opt_out_token(subscriber.public_id, run.contest_id)
    personal = {
        **context,
        "opt_out_url": absolute_url(reverse("reminders:opt_out", args=[token])),
    }
    email = render_email(subscriber, "reminder", personal, kind="contest_reminder")
    return engine.deliver_once(
        lambda: ReminderDelivery.objects.create(
            contest_id=run.contest_id, slot_key=run.slot_key, address_hash=subscriber.email_hash
        ),
        email,
    )


def _next_batch(run: ReminderRun, after_pk: int, *, force: bool) -> Batch | str:
    """The next recipients of a contest's slot still without a ledger row, or why to stop."""
    reason = _stop_reason(run, force=force)
    if reason is not None:
        return reason
    contest = ContestPage.objects.get(pk=run.contest_id)
    # The slot as the published dates place it now.
    slot = next((s for s in contest.reminder_schedule() if s.key == run.slot_key), None)
    if slot is None:  # removed from the plan since _stop_reason looked
        return SkipReason.REMOVED
    batch = list(
        pending_recipients(contest, run.slot_key)
        .filter(pk__gt=after_pk)
        .order_by("pk")[:CHUNK_SIZE]
    )
    context = reminder_context(contest, run.slot_key) if batch else {}
    # Someone who followed after the slot's time is not sent it late (see is_owed).
    return Batch(
        batch,
        lambda subscriber: owes(subscriber, contest, slot) and _deliver(subscriber, run, context),
    )


def send_run(run_id: int, *, force: bool = False) -> int:
    """Send one slot to everyone who has not had it; return how many this call queued.

    ``force`` sends a slot of an open contest before its time (the management command).
    """
    return engine.send_run(
        ReminderRun, run_id, lambda run, after_pk: _next_batch(run, after_pk, force=force)
    )


def send_slot_now(contest: ContestPage, slot_key: str, *, force: bool = False) -> int:
    """Send one slot of ``contest`` in this process (the management command)."""
    run = engine.slot_run(ReminderRun, contest.reminder_schedule(), slot_key, contest=contest)
    return send_run(run.pk, force=force)


@dataclass(frozen=True)
class SlotOverview:
    """One slot of a contest's plan as the admin and the command show it."""

    contest: ContestPage
    slot: PlannedReminder
    state: str
    recipients: int
    run: ReminderRun | None


def plan_overview(contest: ContestPage) -> list[SlotOverview]:
    """Each slot with its time, its state, and how many people it reached or would reach."""
    now = timezone.now()
    runs = {run.slot_key: run for run in ReminderRun.objects.filter(contest=contest)}
    delivered = dict(
        ReminderDelivery.objects.filter(contest=contest)
        .values("slot_key")
        .annotate(n=Count("pk"))
        .values_list("slot_key", "n")
    )
    audience = reminder_recipients(contest).count()
    rows = []
    for slot in contest.reminder_schedule():
        run = runs.get(slot.key)
        done = delivered.get(slot.key, 0)
        if run is not None and run.status == Status.SENT:
            state, count = _("envoyé"), done
        elif run is not None and run.status == Status.SKIPPED:
            state, count = _("non envoyé : %s") % run.get_skip_reason_display(), done
        elif not contest.live:
            state, count = _("concours non publié : ne partira pas"), 0
        elif slot.due_at >= contest.vote_closes_at or now >= contest.vote_closes_at:
            state, count = _("après la clôture : ne partira pas"), 0
        elif run is not None and run.status == Status.SENDING:
            state, count = _("envoi en cours"), done + owed_pending_count(contest, slot)
        elif slot.due_at <= now:
            state, count = _("à envoyer maintenant"), owed_pending_count(contest, slot)
        else:
            state, count = _("prévu"), audience
        rows.append(SlotOverview(contest, slot, state, count, run))
    return rows
