"""A contest's reminder plan: when the public is reminded to vote, relative to the vote's dates.

Editors write the plan on the contest page (a StreamField, so it goes through the editorial
workflow with the rest of the page). Send times are computed here from the *published* opening
and closing times each time they are needed, so a moved deadline moves the plan with it.

Times are computed on Marseille's wall clock: "7 days before the closing" is 10:00 seven
calendar days earlier (unless the editor gives an hour), whatever daylight-saving change lies in
between (the last Sunday of March falls just before an 11 April deadline). A time that does not
exist on the day clocks go forward (02:30) is read as the instant just after the jump; one that
happens twice in October is its first occurrence.

Who is sent a slot is decided by ``is_owed``, the one rule the confirmation page, the
preferences page and the dispatcher share.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wagtail import blocks

PARIS = ZoneInfo("Europe/Paris")
AT_OPENING = "ouverture"
BEFORE_CLOSING = "cloture"
MAX_DAYS_BEFORE = 90
#: When a slot "some days before the closing" goes out if the editor gives no hour: when people
#: read their mail, not at the closing's own time (often 23:59, the night before).
DEFAULT_HOUR = time(10, 0)
#: The same on the closing day itself.
DEFAULT_HOUR_LAST_DAY = time(9, 0)


class ReminderSlotBlock(blocks.StructBlock):
    """One reminder: at the vote's opening, or some days before its closing."""

    moment = blocks.ChoiceBlock(
        label=_("moment"),
        choices=[
            (AT_OPENING, _("À l'ouverture des votes")),
            (BEFORE_CLOSING, _("Avant la clôture des votes")),
        ],
        default=BEFORE_CLOSING,
    )
    days_before = blocks.IntegerBlock(
        label=_("jours avant la clôture"),
        required=False,
        min_value=0,
        max_value=MAX_DAYS_BEFORE,
        default=1,
        help_text=_("0 : le jour même. Ignoré pour un rappel à l'ouverture."),
    )
    at = blocks.TimeBlock(
        label=_("heure (Marseille)"),
        required=False,
        help_text=_(
            "Vide : 10 h, ou 9 h le jour de la clôture. Ignoré pour un rappel à l'ouverture."
        ),
    )

    class Meta:
        icon = "time"
        label = _("Rappel")

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value.get("moment") == BEFORE_CLOSING and value.get("days_before") is None:
            raise blocks.StructBlockValidationError(
                block_errors={
                    "days_before": ValidationError(
                        _("Indiquez combien de jours avant la clôture (0 pour le jour même).")
                    )
                }
            )
        return value


class ReminderPlanBlock(blocks.StreamBlock):
    slot = ReminderSlotBlock()


def default_reminder_plan() -> list[dict[str, Any]]:
    """At the opening, 7 days and 1 day before at 10:00, and at 09:00 on the last day."""

    def slot(moment: str, days: int | None = None, at: str | None = None) -> dict[str, Any]:
        return {"type": "slot", "value": {"moment": moment, "days_before": days, "at": at}}

    return [
        slot(AT_OPENING),
        slot(BEFORE_CLOSING, 7),
        slot(BEFORE_CLOSING, 1),
        slot(BEFORE_CLOSING, 0, "09:00:00"),
    ]


@dataclass(frozen=True)
class PlannedReminder:
    """One slot of a plan with its send time. ``key`` names the slot in the ledger."""

    key: str
    label: str
    due_at: datetime


def _slot(value: Any, opens_at: datetime, closes_at: datetime) -> PlannedReminder:
    if value.get("moment") == AT_OPENING:
        return PlannedReminder(AT_OPENING, str(_("À l'ouverture des votes")), opens_at)
    days = int(value.get("days_before") or 0)
    at: time | None = value.get("at")
    closing = closes_at.astimezone(PARIS)
    day = closing.date() - timedelta(days=days)
    # An empty hour keeps the key it always had (``cloture-j7``), so ledger rows of slots already
    # sent still name the same slot.
    wall_clock = at or (DEFAULT_HOUR_LAST_DAY if days == 0 else DEFAULT_HOUR)
    # Through UTC so that a time skipped by the spring change lands after the jump.
    due_at = datetime.combine(day, wall_clock, tzinfo=PARIS).astimezone(UTC).astimezone(PARIS)
    if days == 0:
        label = str(_("Le jour de la clôture"))
    else:
        label = ngettext(
            "%(days)d jour avant la clôture", "%(days)d jours avant la clôture", days
        ) % {"days": days}
    key = f"{BEFORE_CLOSING}-j{days}"
    if at is not None:
        label = str(_("%(label)s, à %(hour)d h %(minute)02d")) % {
            "label": label,
            "hour": at.hour,
            "minute": at.minute,
        }
        key += f"-{at:%H%M}"
    return PlannedReminder(key, label, due_at)


def compute_schedule(
    plan: Iterable[Any], opens_at: datetime, closes_at: datetime
) -> list[PlannedReminder]:
    """The plan's slots with their send times, soonest first; a slot written twice counts once.

    So do two slots that fall at the same instant (an empty hour on the closing day and an
    explicit 09:00): one email, not two at once. The one with an explicit hour is kept, as its
    key is the one that older plans, and the ledger rows they left, used for that time.
    """
    children = sorted(plan, key=lambda child: child.value.get("at") is None)  # stable
    slots: dict[str, PlannedReminder] = {}
    instants: set[datetime] = set()
    for child in children:
        reminder = _slot(child.value, opens_at, closes_at)
        if reminder.key in slots or reminder.due_at in instants:
            continue
        slots[reminder.key] = reminder
        instants.add(reminder.due_at)
    return sorted(slots.values(), key=lambda slot: (slot.due_at, slot.key))


def is_owed(slot: PlannedReminder, followed_since: datetime, closes_at: datetime) -> bool:
    """Whether someone who started following at ``followed_since`` is sent ``slot``.

    The slot must fall strictly after they started following and before the vote closes. A slot
    sent late (the workers were down at its time) goes to those who followed before its
    scheduled time, never to someone who joined while it was overdue: the confirmation page
    they saw did not announce it.
    """
    return followed_since < slot.due_at < closes_at
