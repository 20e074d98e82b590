"""Fixtures for the residents' directory: the directory page, trades and a resident factory."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from home.models import HomePage
from members.models import MemberIndexPage, MemberPage, SpaceType, Trade

MakeMember = Callable[..., MemberPage]


@pytest.fixture
def directory(home_page: HomePage) -> MemberIndexPage:
    page = MemberIndexPage(
        title="Les résidents", slug="residents", introduction="Ils sont hébergés au Carburateur."
    )
    home_page.add_child(instance=page)
    return page


@pytest.fixture
def trades(db: None) -> dict[str, Trade]:
    return {
        slug: Trade.objects.create(name=name, slug=slug)
        for slug, name in [
            ("conserverie", "Conserverie"),
            ("batiment", "Bâtiment"),
            ("numerique", "Numérique"),
        ]
    }


@pytest.fixture
def make_member(directory: MemberIndexPage) -> MakeMember:
    """Publishes a resident under the directory; keyword arguments override the defaults."""
    counter = iter(range(1, 100_000))

    def make(**fields: Any) -> MemberPage:
        number = next(counter)
        defaults: dict[str, Any] = {
            "title": f"Résident {number:04d}",
            "slug": f"resident-{number:04d}",
            "company_name": f"Entreprise {number:04d}",
            "space_type": SpaceType.COWORKING,
            "resident_since": datetime.date(2024, 3, 1),
        }
        page = MemberPage(**{**defaults, **fields})
        directory.add_child(instance=page)
        return page

    return make
