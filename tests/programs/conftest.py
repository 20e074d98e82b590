"""Fixtures for the programs app: its index pages under the home page, and page builders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from home.models import HomePage
from members.models import MemberPage
from programs.models import (
    ContestIndexPage,
    ContestPage,
    EventIndexPage,
    EventPage,
    PartnerIndexPage,
    PartnerPage,
    ProgramIndexPage,
    ProgramPage,
)
from tests.factories.members import MemberIndexPageFactory, MemberPageFactory
from tests.factories.pages import ImageFactory
from tests.factories.programs import (
    ContestIndexPageFactory,
    ContestPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    ProgramIndexPageFactory,
    ProgramPageFactory,
)


def make_image(title: str = "Visuel") -> Any:
    """A small image generated in memory: no file is ever downloaded."""
    return ImageFactory(title=title)


@pytest.fixture
def program_index(home_page: HomePage) -> ProgramIndexPage:
    return ProgramIndexPageFactory(parent=home_page)


@pytest.fixture
def event_index(home_page: HomePage) -> EventIndexPage:
    return EventIndexPageFactory(parent=home_page)


@pytest.fixture
def partner_index(home_page: HomePage) -> PartnerIndexPage:
    return PartnerIndexPageFactory(parent=home_page)


@pytest.fixture
def contest_index(home_page: HomePage) -> ContestIndexPage:
    return ContestIndexPageFactory(parent=home_page)


@pytest.fixture
def cma(partner_index: PartnerIndexPage) -> PartnerPage:
    return PartnerPageFactory(parent=partner_index)


@pytest.fixture
def make_program(program_index: ProgramIndexPage) -> Callable[..., ProgramPage]:
    def make(title: str = "Formation gestion", **fields: Any) -> ProgramPage:
        return ProgramPageFactory(parent=program_index, title=title, **fields)

    return make


@pytest.fixture
def make_event(event_index: EventIndexPage) -> Callable[..., EventPage]:
    """An event under the agenda; ``start`` (in a week by default) and ``duration`` (2 hours)."""

    def make(title: str = "Réunion d'information", **fields: Any) -> EventPage:
        return EventPageFactory(parent=event_index, title=title, **fields)

    return make


@pytest.fixture
def members(home_page: HomePage) -> list[MemberPage]:
    index = MemberIndexPageFactory(parent=home_page, title="Résidents", introduction="")
    return [
        MemberPageFactory(parent=index, title=name, slug=slug, company_name=name)
        for name, slug in (
            ("La Compagnie des Bocaux", "la-compagnie-des-bocaux"),
            ("Medinscop", "medinscop"),
        )
    ]


@pytest.fixture
def make_contest(contest_index: ContestIndexPage) -> Callable[..., ContestPage]:
    def make(opens: datetime, closes: datetime, **fields: Any) -> ContestPage:
        return ContestPageFactory(
            parent=contest_index, vote_opens_at=opens, vote_closes_at=closes, **fields
        )

    return make
