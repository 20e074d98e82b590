"""Fixtures for the residents' directory: the directory page, trades and a resident factory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from home.models import HomePage
from members.models import MemberIndexPage, MemberPage, Trade
from tests.factories.members import MemberIndexPageFactory, MemberPageFactory, TradeFactory

MakeMember = Callable[..., MemberPage]


@pytest.fixture
def directory(home_page: HomePage) -> MemberIndexPage:
    return MemberIndexPageFactory(parent=home_page)


@pytest.fixture
def trades(db: None) -> dict[str, Trade]:
    return {
        slug: TradeFactory(name=name, slug=slug)
        for slug, name in [
            ("conserverie", "Conserverie"),
            ("batiment", "Bâtiment"),
            ("numerique", "Numérique"),
        ]
    }


@pytest.fixture
def make_member(directory: MemberIndexPage) -> MakeMember:
    """Publishes a resident under the directory; keyword arguments override the defaults."""

    def make(**fields: Any) -> MemberPage:
        return MemberPageFactory(parent=directory, **fields)

    return make
