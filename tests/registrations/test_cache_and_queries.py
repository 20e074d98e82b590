"""The seats shown are never stale, and what the event page and a registration cost in queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import EventPage
from registrations import services
from registrations.models import Registration

from .conftest import form_data

pytestmark = pytest.mark.django_db

# Pinned from measurements (see the report of branch i18-public), with a little room.
EVENT_PAGE_MAX_QUERIES = 6
REGISTER_POST_MAX_QUERIES = 16


def seats_line(client: Client, event: EventPage) -> tuple[str, str]:
    response = client.get(event.url)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('class="registration__seats"')
    return response["X-Cache"], html[start : html.index("</p>", start)]


def test_cached_event_page__shows_the_new_count_after_a_registration_and_a_cancellation(
    client: Client, event: EventPage
) -> None:
    assert seats_line(client, event) == (
        "MISS",
        'class="registration__seats"><strong>2 places restantes</strong>',
    )
    assert seats_line(client, event)[0] == "HIT"

    outcome = services.register(event, name="A", email="a@example.fr")
    cache_state, line = seats_line(client, event)
    assert cache_state == "MISS" and "1 place restante<" in line
    assert seats_line(client, event)[0] == "HIT"

    assert outcome.registration is not None
    services.cancel(outcome.registration)
    cache_state, line = seats_line(client, event)
    assert cache_state == "MISS" and "2 places restantes" in line


def test_cached_event_page__registration_through_the_form_refreshes_it(
    client: Client, make_event: Callable[..., EventPage]
) -> None:
    event = make_event(capacity=1)
    seats_line(client, event)
    assert seats_line(client, event)[0] == "HIT"

    client.post(reverse("registrations:register", args=[event.pk]), form_data())

    assert "Complet — liste d'attente ouverte" in seats_line(client, event)[1]


def test_cached_event_page__closes_when_the_deadline_passes(
    client: Client, make_event: Callable[..., EventPage]
) -> None:
    deadline = timezone.now() + timedelta(hours=1)
    event = make_event(registration_deadline=deadline)
    assert "2 places restantes" in seats_line(client, event)[1]
    assert seats_line(client, event)[0] == "HIT"

    with time_machine.travel(deadline + timedelta(minutes=1)):
        assert "Inscriptions closes" in seats_line(client, event)[1]


def count_event_page(client: Client, event: EventPage) -> int:
    assert client.get(event.url).status_code == 200  # warm: routes, fragments, renditions
    with CaptureQueriesContext(connection) as queries:
        assert client.get(event.url).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("page_cache_off")
def test_event_page__queries_constant_as_registrations_grow(
    client: Client, make_event: Callable[..., EventPage], django_assert_max_num_queries: Any
) -> None:
    event = make_event(capacity=100)
    without = count_event_page(client, event)
    for n in range(40):
        services.register(event, name=f"P{n}", email=f"p{n}@example.fr")
    with_40 = count_event_page(client, event)

    assert with_40 == without
    with django_assert_max_num_queries(EVENT_PAGE_MAX_QUERIES):
        client.get(event.url)


@pytest.mark.usefixtures("page_cache_off")
def test_event_page__no_registration_on_the_site_costs_no_count(
    client: Client, make_event: Callable[..., EventPage]
) -> None:
    closed = make_event(registration_open=False)
    opened = make_event()

    assert count_event_page(client, closed) == count_event_page(client, opened) - 1


def test_register_post__queries_pinned_and_constant(
    client: Client, make_event: Callable[..., EventPage], django_assert_max_num_queries: Any
) -> None:
    event = make_event(capacity=3)
    url = reverse("registrations:register", args=[event.pk])
    counts = []
    for n in range(6):  # 3 confirmed, then 3 waiting
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, form_data(email=f"p{n}@example.fr"))
        assert response.status_code == 303
        counts.append(len(queries))

    assert counts[1] == counts[2] and counts[3] <= counts[4] == counts[5], counts
    with django_assert_max_num_queries(REGISTER_POST_MAX_QUERIES):
        client.post(url, form_data(email="last@example.fr"))
    assert Registration.objects.count() == 7
    print("event page / post queries", counts)
