"""A contest's status follows the clock: à venir, ouvert, clos — around Marseille's times."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from programs.listings import open_contests
from programs.models import ContestStatus

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
OPENS = datetime(2027, 3, 1, 9, 0, tzinfo=PARIS)
CLOSES = datetime(2027, 4, 11, 23, 59, tzinfo=PARIS)  # summer time: 21:59 UTC
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("moment", "status", "is_open"),
    [
        (OPENS - SECOND, ContestStatus.UPCOMING, False),
        (OPENS, ContestStatus.OPEN, True),
        (CLOSES - SECOND, ContestStatus.OPEN, True),
        (CLOSES, ContestStatus.CLOSED, False),
        (CLOSES + timedelta(days=300), ContestStatus.CLOSED, False),
    ],
)
def test_contest_status__around_opening_and_closing(make_contest, moment, status, is_open):
    contest = make_contest(OPENS, CLOSES)
    with time_machine.travel(moment, tick=False):
        assert contest.status == status
        assert contest.is_open is is_open
        assert list(open_contests(5)) == ([contest] if is_open else [])


def test_contest_status__labels_are_french() -> None:
    assert [str(s.label) for s in ContestStatus] == ["À venir", "Ouvert", "Clos"]


def test_contest_page__shows_times_in_marseille_and_the_vote_button_only_while_open(
    client, make_contest
) -> None:
    contest = make_contest(OPENS, CLOSES)
    with time_machine.travel(OPENS - SECOND, tick=False):
        html = client.get(contest.url).content.decode()
        assert "Le vote : à venir" in html
        assert "lundi 1er mars 2027 à 9 h 00" in html
        assert "dimanche 11 avril 2027 à 23 h 59" in html
        assert "Voter pour nos résidents" not in html
    with time_machine.travel(OPENS + timedelta(days=3), tick=False):
        html = client.get(contest.url).content.decode()
        assert "Le vote : ouvert" in html
        assert "Voter pour nos résidents" in html
    with time_machine.travel(CLOSES, tick=False):
        contest.result = "La Compagnie des Bocaux termine deuxième."
        contest.save()
        html = client.get(contest.url).content.decode()
        assert "Le vote : clos" in html
        assert "Voter pour nos résidents" not in html
        assert "La Compagnie des Bocaux termine deuxième." in html


def test_contest__dates_are_stored_aware_in_utc(make_contest) -> None:
    contest = make_contest(OPENS, CLOSES)
    contest.refresh_from_db()
    assert contest.vote_closes_at.utcoffset() == timedelta(0)
    assert contest.vote_closes_at == CLOSES
    assert (contest.vote_closes_at.hour, contest.vote_closes_at.minute) == (21, 59)
