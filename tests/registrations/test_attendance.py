"""Attendance rates per training and per programme, drawn as bars with a text alternative."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from django.test import Client
from django.utils import timezone

from programs.models import EventPage
from registrations.models import Registration
from tests.factories.programs import EventPageFactory, ProgramPageFactory
from tests.subscriptions.fixtures import page_text

from .organisers import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db


def chart_rows(html: str, caption: str) -> list[tuple[str, str, str, str]]:
    table = re.search(rf"<caption>{re.escape(caption)}</caption>(.*?)</table>", html, re.S)
    assert table is not None, caption
    return [
        (label, registered, present, percent)
        for label, registered, present, percent in re.findall(
            r'<th scope="row">([^<]*)</th>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*'
            r'<td><span class="attendance-bar" aria-hidden="true"><span style="width: \d+%">'
            r"</span></span> (\d+) %</td>",
            table.group(1),
        )
    ]


@pytest.fixture
def past_sessions(home_page: Any, register: Callable) -> list[EventPage]:
    """Two past sessions of a programme (3/4 and 1/2 present), one without programme (1/1),
    and one to come (not counted)."""
    now = timezone.now()
    programme = ProgramPageFactory(title="Formation gestion")
    first = EventPageFactory(title="Gestion 1", program=programme, start=now - timedelta(days=14))
    second = EventPageFactory(title="Gestion 2", program=programme, start=now - timedelta(days=7))
    alone = EventPageFactory(title="Permanence", start=now - timedelta(days=3))
    coming = EventPageFactory(title="Gestion 3", program=programme, registration_open=True)
    for index, present in enumerate([True, True, True, False]):
        register(first, f"Un{index} Personne", f"un{index}@example.fr", present=present)
    register(first, "Partie Personne", status=Registration.Status.CANCELLED, present=False)
    register(first, "Attente Personne", status=Registration.Status.WAITING)
    register(second, "Deux Personne", "deux@example.fr", present=True)
    register(second, "Trois Personne", "trois@example.fr")
    register(alone, "Seule Personne", present=True)
    register(coming, "Future Personne")
    return [first, second, alone, coming]


def test_index__rates_per_programme_and_per_event(
    login: Callable[[Any], Client], communication: Any, past_sessions: list[EventPage]
) -> None:
    html = page_text(login(communication).get("/admin/inscriptions/"))

    assert chart_rows(html, "Par programme") == [
        ("Formation gestion", "6", "4", "67"),
        ("Sans programme", "1", "1", "100"),
    ]
    by_event = chart_rows(html, "Par événement (les plus récents)")
    assert [(label.split(" (")[0], *rest) for label, *rest in by_event] == [
        ("Permanence", "1", "1", "100"),
        ("Gestion 2", "2", "1", "50"),
        ("Gestion 1", "4", "3", "75"),
    ]
    assert 'style="width: 75%"' in html


def test_event_screen__its_own_rate_once_started(
    login: Callable[[Any], Client], communication: Any, past_sessions: list[EventPage]
) -> None:
    client = login(communication)
    first, *_, coming = past_sessions

    started = page_text(client.get(f"/admin/inscriptions/{first.pk}/"))
    to_come = page_text(client.get(f"/admin/inscriptions/{coming.pk}/"))

    assert chart_rows(started, "Taux de présence") == [("Gestion 1", "4", "3", "75")]
    assert "<caption>Taux de présence</caption>" not in to_come


def test_chamber__rates_only_over_joint_events(
    login: Callable[[Any], Client],
    chamber: Any,
    past_sessions: list[EventPage],
    joint_event: EventPage,
    register: Callable,
) -> None:
    EventPage.objects.filter(pk=joint_event.pk).update(start=timezone.now() - timedelta(days=1))
    register(joint_event, "Artisane Personne", present=True)
    register(joint_event, "Artisan Personne", "artisan@example.fr")

    html = page_text(login(chamber).get("/admin/inscriptions/"))

    assert chart_rows(html, "Par programme") == [("Sans programme", "2", "1", "50")]
    assert "Gestion" not in html
