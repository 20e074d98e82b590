"""What the directory exposes to the home page: the live resident count and recent residents."""

from __future__ import annotations

import datetime

import pytest

from wagtail.models import PageViewRestriction

from members.listings import recent_members, resident_count

from .conftest import MakeMember


@pytest.mark.django_db
def test_resident_count__counts_live_public_residents_only(make_member: MakeMember) -> None:
    assert resident_count() == 0
    make_member()
    make_member()
    make_member(live=False)
    private = make_member()
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    assert resident_count() == 2


@pytest.mark.django_db
def test_resident_count__follows_publication(make_member: MakeMember) -> None:
    member = make_member()
    assert resident_count() == 1
    member.unpublish()
    assert resident_count() == 0


@pytest.mark.django_db
def test_recent_members__newest_residents_first_up_to_the_limit(make_member: MakeMember) -> None:
    for year in (2021, 2024, 2022, 2023):
        make_member(company_name=f"Depuis {year}", resident_since=datetime.date(year, 1, 1))
    make_member(company_name="Brouillon", resident_since=datetime.date(2025, 1, 1), live=False)
    assert [m.company_name for m in recent_members(3)] == [
        "Depuis 2024",
        "Depuis 2023",
        "Depuis 2022",
    ]
    assert recent_members(0) == []
