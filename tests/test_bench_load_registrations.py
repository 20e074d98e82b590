"""``make bench-load``'s registration scenario: the event's seats held against the people."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.test_bench_load import load

__all__ = ["load"]


def test_seat_tally__300_registered_and_200_waiting_passes(load: ModuleType) -> None:
    tally = load.SeatTally(confirmed=300, waiting=200, other=0, seats=300, people=500)

    assert tally.healthy
    assert tally.line() == (
        "places : 300 inscrites sur 300, 200 en liste d'attente, 0 autre(s) ; attendu 300 et 200"
    )


@pytest.mark.parametrize(
    ("confirmed", "waiting", "other"),
    [
        (301, 199, 0),  # a seat given twice
        (299, 201, 0),  # a seat left empty while someone waits
        (300, 199, 0),  # someone lost
        (300, 199, 1),  # someone cancelled or otherwise not counted
    ],
)
def test_seat_tally__any_other_outcome_fails(
    load: ModuleType, confirmed: int, waiting: int, other: int
) -> None:
    tally = load.SeatTally(confirmed, waiting, other, seats=300, people=500)

    assert not tally.healthy


def test_seat_tally__fewer_people_than_seats_all_registered(load: ModuleType) -> None:
    assert load.SeatTally(40, 0, 0, seats=300, people=40).healthy
    assert not load.SeatTally(40, 0, 0, seats=300, people=50).healthy
