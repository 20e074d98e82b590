"""The programs demo builds the CMA partnership, programs, events and a live contest, once."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from wagtail.models import Page, Revision

from core.demo import DemoReport
from programs.demo import load_programs_demo, next_april_11
from programs.listings import featured_programs, open_contests, upcoming_events
from programs.models import ContestPage, EventPage, PartnerPage, ProgramPage

pytestmark = pytest.mark.django_db


def test_next_april_11__is_this_years_until_it_has_passed() -> None:
    assert next_april_11(date(2027, 1, 5)) == date(2027, 4, 11)
    assert next_april_11(date(2027, 4, 11)) == date(2027, 4, 11)
    assert next_april_11(date(2027, 4, 12)) == date(2028, 4, 11)


@pytest.mark.parametrize("today", ["2026-11-28 10:00", "2027-04-11 20:00", "2027-06-01 10:00"])
def test_programs_demo__builds_live_listings_and_a_second_run_changes_nothing(
    client, home_page, members, today
) -> None:
    with time_machine.travel(f"{today} +0100", tick=False):
        load_programs_demo(home_page, DemoReport(), contest_entrant=members[0])
        counts = (Page.objects.count(), Revision.objects.count())
        second = DemoReport()
        load_programs_demo(home_page, second, contest_entrant=members[0])
        assert (Page.objects.count(), Revision.objects.count()) == counts
        assert second.created == 0

        cma = PartnerPage.objects.get(short_name="CMA")
        assert ProgramPage.objects.filter(partner=cma).count() == 3
        assert EventPage.objects.count() >= 10
        assert len(upcoming_events(6)) == 6
        assert len(featured_programs(4)) == 4
        [aviva] = open_contests(3)
        assert aviva.vote_closes_at.astimezone().month == 4
        assert [e.member.slug for e in aviva.entries.all()] == ["la-compagnie-des-bocaux"]
        latest = ContestPage.objects.get().get_latest_revision_as_object()
        assert [e.member_id for e in latest.entries.all()] == [members[0].pk]
        for model in (PartnerPage, ProgramPage, EventPage, ContestPage):
            for page in model.objects.all():
                for url in (page.url, page.get_parent().url):
                    assert client.get(url).status_code == 200, url
