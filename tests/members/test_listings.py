"""What the directory exposes to the home page: the live resident count."""

from __future__ import annotations

import pytest

from wagtail.models import PageViewRestriction

from members.listings import resident_count

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
