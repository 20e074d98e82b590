"""The registrations screen costs the same number of queries for 3 people or 60."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from django.test import Client

from programs.models import EventPage

from .organisers import *  # noqa: F403 - fixtures
from .organisers import question_ids

pytestmark = pytest.mark.django_db

#: Measured, then pinned: the event, its counts, its registrations and its message history
#: (one query each), the user's roles, and the admin's own (session, user, permissions,
#: profile, locales, the menu's permission checks). None of them grows with the list.
SCREEN_QUERIES = 17


def test_screen__queries_stay_the_same_as_registrations_grow(
    login: Callable[[Any], Client],
    communication: Any,
    training: EventPage,
    register: Callable,
    django_assert_max_num_queries: Any,
) -> None:
    activity, *_ = question_ids(training)
    client = login(communication)
    url = f"/admin/inscriptions/{training.pk}/"
    client.get(url)  # warm what is loaded once per process

    def add(count: int, start: int) -> None:
        for index in range(start, start + count):
            register(
                training,
                f"Personne {index:03d}",
                f"p{index}@example.fr",
                answers=[{"id": activity, "label": "Votre activité", "answer": "Couture"}],
                present=index % 3 == 0,
            )

    add(3, 0)
    with django_assert_max_num_queries(SCREEN_QUERIES):
        assert client.get(url).status_code == 200
    add(57, 3)
    with django_assert_max_num_queries(SCREEN_QUERIES):
        response = client.get(url)
    assert response.content.decode().count("<td>Couture</td>") == 60
