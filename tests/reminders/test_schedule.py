"""The reminder plan's send times: Marseille's wall clock, across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest

from programs.models import ContestPage
from programs.reminder_plan import compute_schedule

from .fixtures import CLOSES, OPENS, paris

# Building a page (even unsaved) looks up its content type.
pytestmark = pytest.mark.django_db


def plan(*slots: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [("slot", slot) for slot in slots]


def before_closing(days: int, at: time | None = None) -> dict[str, Any]:
    return {"moment": "cloture", "days_before": days, "at": at}


def schedule(slots: list[tuple[str, dict[str, Any]]], opens: datetime, closes: datetime) -> Any:
    page = ContestPage(vote_opens_at=opens, vote_closes_at=closes, reminder_plan=slots)
    return page.reminder_schedule()


def test_default_plan__opening_10_am_7_days_and_1_day_before_and_9_am_on_the_last_day() -> None:
    page = ContestPage(vote_opens_at=OPENS, vote_closes_at=CLOSES)

    slots = page.reminder_schedule()

    assert [(slot.key, slot.due_at) for slot in slots] == [
        ("ouverture", OPENS),
        ("cloture-j7", paris(2025, 4, 4, 10, 0)),
        ("cloture-j1", paris(2025, 4, 10, 10, 0)),
        ("cloture-j0-0900", paris(2025, 4, 11, 9, 0)),
    ]
    assert [slot.label for slot in slots] == [
        "À l'ouverture des votes",
        "7 jours avant la clôture",
        "1 jour avant la clôture",
        "Le jour de la clôture, à 9 h 00",
    ]


def test_days_before_across_the_spring_change__keep_the_wall_clock_time() -> None:
    # 11 April is summer time (UTC+2); 14 days earlier, 28 March, is winter time (UTC+1).
    [slot] = schedule(plan(before_closing(14, time(23, 59))), OPENS, CLOSES)

    assert slot.due_at.astimezone(UTC) == datetime(2025, 3, 28, 22, 59, tzinfo=UTC)
    assert CLOSES.astimezone(UTC) == datetime(2025, 4, 11, 21, 59, tzinfo=UTC)


def test_days_before_across_the_autumn_change__keep_the_wall_clock_time() -> None:
    closes = paris(2025, 10, 31, 12, 0)  # winter time, UTC+1
    [slot] = schedule(plan(before_closing(7, time(9, 0))), paris(2025, 10, 1, 9, 0), closes)

    assert slot.due_at.astimezone(UTC) == datetime(2025, 10, 24, 7, 0, tzinfo=UTC)  # UTC+2


def test_a_time_that_does_not_exist_on_the_spring_change__is_the_instant_after_the_jump() -> None:
    closes = paris(2025, 4, 1, 12, 0)
    [slot] = schedule(plan(before_closing(2, time(2, 30))), OPENS, closes)  # Sunday 30 March

    assert slot.due_at.astimezone(UTC) == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    assert slot.due_at.astimezone(paris(2025, 3, 30).tzinfo).hour == 3


def test_a_time_that_happens_twice_in_october__is_its_first_occurrence() -> None:
    closes = paris(2025, 10, 27, 12, 0)
    [slot] = schedule(plan(before_closing(1, time(2, 30))), OPENS, closes)  # Sunday 26 October

    assert slot.due_at.astimezone(UTC) == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)


def test_a_slot_written_twice__counts_once_and_slots_come_soonest_first() -> None:
    slots = schedule(
        plan(before_closing(1), {"moment": "ouverture"}, before_closing(1)), OPENS, CLOSES
    )

    assert [slot.key for slot in slots] == ["ouverture", "cloture-j1"]


def test_an_empty_plan__sends_nothing() -> None:
    assert compute_schedule([], OPENS, CLOSES) == []


def test_slot_block__before_closing_without_days__is_refused_in_french() -> None:
    from wagtail.blocks import StructBlockValidationError

    from programs.reminder_plan import ReminderSlotBlock

    block = ReminderSlotBlock()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"moment": "cloture", "days_before": None, "at": None}))
    assert "combien de jours" in str(error.value.block_errors["days_before"])


def test_default_plan_across_the_spring_change__10_am_and_9_am_marseille_on_both_sides() -> None:
    # Closing on Wednesday 2 April: "7 days before" (26 March) is winter time, UTC+1; "1 day
    # before" and the last day are summer time, UTC+2 (clocks went forward on 30 March).
    page = ContestPage(vote_opens_at=OPENS, vote_closes_at=paris(2025, 4, 2, 18, 0))

    slots = {slot.key: slot.due_at.astimezone(UTC) for slot in page.reminder_schedule()}

    assert slots == {
        "ouverture": OPENS.astimezone(UTC),
        "cloture-j7": datetime(2025, 3, 26, 9, 0, tzinfo=UTC),
        "cloture-j1": datetime(2025, 4, 1, 8, 0, tzinfo=UTC),
        "cloture-j0-0900": datetime(2025, 4, 2, 7, 0, tzinfo=UTC),
    }


def test_no_hour_on_the_closing_day__9_am_and_not_a_second_email_next_to_an_explicit_9_am() -> None:
    alone = schedule(plan(before_closing(0)), OPENS, CLOSES)
    both = schedule(plan(before_closing(0), before_closing(0, time(9, 0))), OPENS, CLOSES)

    assert [(slot.key, slot.due_at) for slot in alone] == [("cloture-j0", paris(2025, 4, 11, 9))]
    assert [slot.key for slot in both] == ["cloture-j0-0900"]


def test_an_hour_set_by_the_editor__wins_over_the_default() -> None:
    [slot] = schedule(plan(before_closing(3, time(18, 30))), OPENS, CLOSES)

    assert (slot.key, slot.due_at) == ("cloture-j3-1830", paris(2025, 4, 8, 18, 30))
    assert slot.label == "3 jours avant la clôture, à 18 h 30"
