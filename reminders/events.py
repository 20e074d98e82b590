"""Reminders of the events people registered for: the day before, and the morning of if asked.

They run on the same engine as the contest reminders (``reminders.engine``): one run per event
and slot, one ledger row per registration and slot. A registration is reminded of a slot when
it holds a seat at the slot's time (confirmed, or promoted from the waiting list, before it)
and still holds it when its email is written; a cancellation deletes its reminders still in
the outbox (``reminders.receivers``). docs/reminders.md tells the whole story.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.french import datetime_fr, time_fr
from mailing.models import OutboxEmail
from ops.queueing import queue
from programs.models import EventPage
from registrations.emails import render_registration_email
from registrations.models import Registration

from . import engine
from .engine import Batch
from .models import EventReminderDelivery, EventReminderRun

#: Registrations handled between two renewals of the run's lease.
CHUNK_SIZE = 200
#: The day-before slot is at most two days before the start: events further off wait.
HORIZON = timedelta(days=2)
#: How long after an event started its unsent slots are still looked at, to record them.
STARTED_LOOKBACK = timedelta(days=7)
EMAIL_KIND = "registration_reminder"

Status = EventReminderRun.Status
SkipReason = EventReminderRun.SkipReason


@dataclass(frozen=True)
class EventSlot:
    """One reminder of an event: its key in the ledger, its label and its time."""

    key: str
    label: str
    due_at: datetime


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def event_schedule(event: EventPage) -> list[EventSlot]:
    """The event's reminders in time order: the day before, and the morning of if asked.

    The morning one exists only if the event starts after its hour (an event at 07:30 has
    nothing to be reminded of that morning).
    """
    paris = ZoneInfo(settings.TIME_ZONE)
    day = timezone.localtime(event.start, paris).date()
    eve = _clock(settings.REMINDERS_EVENT_EVE_TIME)
    slots = [
        EventSlot(
            "veille",
            _("La veille à %(heure)s") % {"heure": time_fr(eve)},
            datetime.combine(day - timedelta(days=1), eve, tzinfo=paris),
        )
    ]
    if event.reminder_morning:
        hour = _clock(settings.REMINDERS_EVENT_MORNING_TIME)
        morning = datetime.combine(day, hour, paris)
        if event.start > morning:
            slots.append(
                EventSlot(
                    "matin",
                    _("Le matin même à %(heure)s") % {"heure": time_fr(hour)},
                    morning,
                )
            )
    return slots


def owed(due_at: datetime) -> Q:
    """The registrations that held a seat at ``due_at``: confirmed or promoted before it.

    Someone who got their seat after the slot's time is not sent it late (their confirmation
    or promotion email told them everything).
    """
    got_seat_before = Q(confirmed_at__lt=due_at) | Q(
        confirmed_at__isnull=True, created_at__lt=due_at
    )
    return got_seat_before & ~Q(promoted_at__gte=due_at)


def pending_registrations(event_id: int, slot: EventSlot) -> QuerySet[Registration]:
    """Who is owed ``slot`` and has no ledger row for it yet."""
    delivered = EventReminderDelivery.objects.filter(registration=OuterRef("pk"), slot_key=slot.key)
    return (
        Registration.objects.confirmed()
        .filter(event_id=event_id, anonymised_at__isnull=True)
        .filter(owed(slot.due_at))
        .exclude(Exists(delivered))
    )


def _with_registrations() -> Any:
    return Exists(
        Registration.objects.filter(event=OuterRef("pk"), status=Registration.Status.CONFIRMED)
    )


def hand_out_to_celery(run_id: int) -> None:
    """Queue a run; if the broker is down, the next beat hands it out again."""
    from .tasks import send_event_reminder_run  # tasks imports this module

    queue(send_event_reminder_run, run_id)


def dispatch_due(hand_out: Callable[[int], Any] = hand_out_to_celery) -> list[int]:
    """Beat: record superseded slots as skipped and hand out the runs with work to do."""
    now = timezone.now()
    _record_missed_before_start(now)
    upcoming = EventPage.objects.live().filter(
        _with_registrations(), start__gt=now, start__lte=now + HORIZON
    )
    plans = [(event, event_schedule(event)) for event in upcoming]
    return engine.hand_out_due(EventReminderRun, "event", plans, now, hand_out)


def _record_missed_before_start(now: datetime) -> None:
    """Slots of events started lately that never went out are recorded as skipped."""
    started = EventPage.objects.live().filter(
        _with_registrations(), start__lte=now, start__gt=now - STARTED_LOOKBACK
    )
    for event in started:
        for slot in event_schedule(event):
            engine.record_skipped(EventReminderRun, slot, SkipReason.STARTED, event=event)


def _stop_reason(run: EventReminderRun, *, force: bool) -> str | None:
    """Why the run must not go on now: a skip reason, ``WAIT``, or None to go on."""
    now = timezone.now()
    event = EventPage.objects.live().filter(pk=run.event_id).first()
    if event is None:
        return SkipReason.UNPUBLISHED
    if now >= event.start:
        return SkipReason.STARTED
    return engine.slot_verdict(event_schedule(event), run.slot_key, now, force=force)


def reminder_context(event: EventPage, slot: EventSlot) -> dict[str, Any]:
    """What the reminder adds, for every registrant, to the registrations' email context."""
    return {
        "slot": slot,
        "tomorrow": slot.key == "veille",
        "starts_at": datetime_fr(event.start),
        "map_url": event.location().map_url,
        "organiser": event.organiser(),
    }


def render_reminder(registration: Registration, context: dict[str, Any]) -> OutboxEmail:
    """The reminder to one registrant as an unsaved row: the registrations' email (event
    details, address, .ics, cancellation link) with the reminder's template."""
    return render_registration_email(registration, "reminder", kind=EMAIL_KIND, **context)


def _still_owed(registration_id: int, slot: EventSlot) -> bool:
    """Read again, locked, inside the recipient's transaction: a cancellation that commits
    meanwhile waits for it, then deletes the email it wrote (``reminders.receivers``)."""
    return (
        Registration.objects.select_for_update()
        .filter(owed(slot.due_at), pk=registration_id, status=Registration.Status.CONFIRMED)
        .values_list("pk", flat=True)
        .first()
        is not None
    )


def _deliver(registration: Registration, run: EventReminderRun, context: dict[str, Any]) -> bool:
    """Ledger row and outbox email in one transaction; False if not sent (any more)."""
    return engine.deliver_once(
        lambda: EventReminderDelivery.objects.create(
            registration=registration, slot_key=run.slot_key
        ),
        render_reminder(registration, context),
        still_owed=lambda: _still_owed(registration.pk, context["slot"]),
    )


def _next_batch(run: EventReminderRun, after_pk: int, *, force: bool) -> Batch | str:
    reason = _stop_reason(run, force=force)
    if reason is not None:
        return reason
    event = EventPage.objects.get(pk=run.event_id)
    slot = next(s for s in event_schedule(event) if s.key == run.slot_key)
    batch = list(
        pending_registrations(event.pk, slot)
        .filter(pk__gt=after_pk)
        .select_related("event")
        .order_by("pk")[:CHUNK_SIZE]
    )
    context = reminder_context(event, slot) if batch else {}
    return Batch(batch, lambda registration: _deliver(registration, run, context))


def send_run(run_id: int, *, force: bool = False) -> int:
    """Send one slot of an event to every registrant owed it who has not had it."""
    return engine.send_run(
        EventReminderRun, run_id, lambda run, after_pk: _next_batch(run, after_pk, force=force)
    )


def send_slot_now(event: EventPage, slot_key: str, *, force: bool = False) -> int:
    """Send one slot of ``event`` in this process (the management command)."""
    run = engine.slot_run(EventReminderRun, event_schedule(event), slot_key, event=event)
    return send_run(run.pk, force=force)


@dataclass(frozen=True)
class EventSlotOverview:
    """One reminder of an event as the admin and the command show it."""

    slot: EventSlot
    state: str
    recipients: int
    run: EventReminderRun | None


def plan_overview(event: EventPage) -> list[EventSlotOverview]:
    """Each reminder with its time, its state and how many people it reached or would reach."""
    now = timezone.now()
    runs = {run.slot_key: run for run in EventReminderRun.objects.filter(event=event)}
    delivered = dict(
        EventReminderDelivery.objects.filter(registration__event=event)
        .values("slot_key")
        .annotate(n=Count("pk"))
        .values_list("slot_key", "n")
    )
    rows = []
    for slot in event_schedule(event):
        run = runs.get(slot.key)
        done = delivered.get(slot.key, 0)
        if run is not None and run.status == Status.SENT:
            state, count = _("envoyé"), done
        elif run is not None and run.status == Status.SKIPPED:
            state, count = _("non envoyé : %s") % run.get_skip_reason_display(), done
        elif not event.live:
            state, count = _("événement non publié : ne partira pas"), 0
        elif now >= event.start:
            state, count = _("événement commencé : ne partira pas"), 0
        elif run is not None and run.status == Status.SENDING:
            state = _("envoi en cours")
            count = done + pending_registrations(event.pk, slot).count()
        elif slot.due_at <= now:
            state, count = _("à envoyer maintenant"), pending_registrations(event.pk, slot).count()
        else:
            # Everyone holding a seat now would get it.
            state = _("prévu")
            count = Registration.objects.confirmed().filter(event=event).count()
        rows.append(EventSlotOverview(slot, state, count, run))
    return rows
