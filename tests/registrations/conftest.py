"""Fixtures of the registrations: an event open for registration under the agenda."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from home.models import HomePage
from programs.models import EventIndexPage, EventPage
from tests.factories.programs import EventIndexPageFactory, EventPageFactory

#: The organiser's questions of the fixture's event: a text, a choice and a yes/no question.
QUESTIONS = [
    {
        "type": "text",
        "id": "q-company",
        "value": {"label": "Votre entreprise", "required": False, "help_text": ""},
    },
    {
        "type": "choice",
        "id": "q-trade",
        "value": {
            "label": "Votre métier",
            "required": True,
            "help_text": "",
            "choices": ["Boulangerie", "Coiffure", "Autre"],
        },
    },
    {
        "type": "yes_no",
        "id": "q-first",
        "value": {"label": "Première participation ?", "required": True, "help_text": ""},
    },
]


@pytest.fixture
def agenda(home_page: HomePage) -> EventIndexPage:
    return EventIndexPageFactory(parent=home_page)


@pytest.fixture
def make_event(agenda: EventIndexPage) -> Callable[..., EventPage]:
    """An event in a week, open for registration on the site, 2 seats, with a waiting list."""

    def make(**fields: Any) -> EventPage:
        values: dict[str, Any] = {
            "title": "Réunion d'information",
            "registration_open": True,
            "capacity": 2,
            "waiting_list": True,
            "registration_questions": QUESTIONS,
            **fields,
        }
        return EventPageFactory(parent=agenda, **values)

    return make


@pytest.fixture
def event(make_event: Callable[..., EventPage]) -> EventPage:
    return make_event()


def form_data(**overrides: str) -> dict[str, str]:
    """A valid POST of the fixture's event form."""
    return {
        "name": "Nadia Benali",
        "email": "nadia@example.fr",
        "phone": "06 12 34 56 78",
        "consent": "on",
        "website": "",
        "question-q-company": "Boulangerie Benali",
        "question-q-trade": "Boulangerie",
        "question-q-first": "oui",
        **overrides,
    }
