"""The registrations screen of an training, the « Inscriptions » index and their doors."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from django.test import Client

from programs.models import EventPage
from registrations.models import Registration
from tests.subscriptions.fixtures import page_text

from .organisers import *  # noqa: F403 - fixtures
from .organisers import question_ids

pytestmark = pytest.mark.django_db


def cell_texts(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", html)]


def test_screen__shows_the_counts_and_everyone_with_their_answers(
    login: Callable[[Any], Client], communication: Any, training: EventPage, register: Callable
) -> None:
    activity, slot, access = question_ids(training)
    register(
        training,
        "Hélène Martin",
        answers=[
            {"id": activity, "label": "Votre activité", "answer": "Boulangerie"},
            {"id": slot, "label": "Créneau", "answer": "Matin"},
            {"id": access, "label": "Besoin d'un accès PMR ?", "answer": "oui"},
        ],
        present=True,
        phone="06 12 34 56 78",
    )
    register(training, "Karim Benali")
    register(training, "Zoé Attente", status=Registration.Status.WAITING)
    register(training, "Paul Parti", status=Registration.Status.CANCELLED)

    response = login(communication).get(f"/admin/inscriptions/{training.pk}/")

    text = page_text(response)
    assert response.status_code == 200
    assert re.search(r"<strong>2</strong>\s*inscrits", text)
    assert re.search(r"<strong>1</strong>\s*en attente", text)
    assert re.search(r"<strong>1</strong>\s*annulés", text)
    assert re.search(r"<strong>1</strong>\s*présents", text)
    for heading in ("Votre activité", "Créneau", "Besoin d'un accès PMR ?"):
        assert f'<th scope="col">{heading}</th>' in text
    cells = cell_texts(text)
    start = cells.index("Hélène Martin")
    assert cells[start : start + 4] == [
        "Hélène Martin",
        "helene@example.fr",
        "06 12 34 56 78",
        "inscrit·e",
    ]
    assert cells[start + 5 : start + 8] == ["Boulangerie", "Matin", "oui"]
    # Confirmed first (by name), then waiting, then cancelled.
    names = [
        cells[i]
        for i in range(len(cells))
        if cells[i].endswith(("Martin", "Benali", "Attente", "Parti"))
    ]
    assert names == ["Hélène Martin", "Karim Benali", "Zoé Attente", "Paul Parti"]
    # Communication acts: check-in and message buttons.
    assert f"/admin/inscriptions/{training.pk}/accueil/" in text
    assert f"/admin/inscriptions/{training.pk}/message/" in text


def test_screen__leaves_anonymised_registrations_out_of_the_list_but_in_the_counts(
    login: Callable[[Any], Client], communication: Any, training: EventPage, register: Callable
) -> None:
    from django.utils import timezone

    gone = register(training, "Ancienne Personne")
    Registration.objects.filter(pk=gone.pk).update(
        name="", email="", address_hash="", anonymised_at=timezone.now()
    )
    register(training, "Karim Benali")

    text = page_text(login(communication).get(f"/admin/inscriptions/{training.pk}/"))

    assert re.search(r"<strong>2</strong>\s*inscrits", text)
    assert "Ancienne Personne" not in text
    assert text.count("<td>inscrit·e</td>") == 1


def test_index__lists_events_with_registration_and_their_counts(
    login: Callable[[Any], Client],
    communication: Any,
    training: EventPage,
    joint_event: EventPage,
    register: Callable,
) -> None:
    from tests.factories.programs import EventPageFactory

    EventPageFactory(title="Permanence sans inscription")
    register(training, "Hélène Martin")
    register(training, "Karim Benali", status=Registration.Status.WAITING)

    response = login(communication).get("/admin/inscriptions/")

    text = page_text(response)
    assert response.status_code == 200
    assert "Atelier comptabilité" in text
    assert "Formation CMA : créer son entreprise artisanale" in text
    assert "Permanence sans inscription" not in text
    row = re.search(r"Atelier comptabilité</a>.*?</tr>", text, re.S)
    assert row is not None
    assert cell_texts(row.group(0))[1:] == ["1", "1", "0", "0"]


def test_doors__menu_item_event_header_and_page_listing(
    login: Callable[[Any], Client], communication: Any, training: EventPage
) -> None:
    client = login(communication)
    screen = f"/admin/inscriptions/{training.pk}/"

    dashboard = page_text(client.get("/admin/"))
    edit = page_text(client.get(f"/admin/pages/{training.pk}/edit/"))
    listing = page_text(client.get(f"/admin/pages/{training.get_parent().pk}/"))

    assert "/admin/inscriptions/" in dashboard
    assert screen in edit
    assert screen in listing
