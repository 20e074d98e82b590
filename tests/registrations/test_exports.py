"""The list of registrations in CSV and XLSX: French headings, answers, formula-safe."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import load_workbook

from django.test import Client

from programs.models import EventPage
from registrations.models import Registration

from .organisers import *  # noqa: F403 - fixtures
from .organisers import question_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(training: EventPage, register: Callable) -> list[Registration]:
    activity, slot, access = question_ids(training)
    return [
        register(
            training,
            '=HYPERLINK("http://x.example","clic")',
            "formule@example.fr",
            answers=[
                {"id": activity, "label": "Votre activité", "answer": "+33 6 12 34 56 78"},
                {"id": slot, "label": "Créneau", "answer": "Matin"},
                {"id": access, "label": "Besoin d'un accès PMR ?", "answer": "oui"},
            ],
            present=True,
        ),
        register(
            training,
            "Karim Benali",
            answers=[{"id": "disparue", "label": "@Question retirée", "answer": "-2"}],
            phone="\t04 91",
        ),
        register(training, "Zoé Attente", status=Registration.Status.WAITING),
    ]


def csv_rows(client: Client, training: EventPage) -> list[list[str]]:
    response = client.get(f"/admin/inscriptions/{training.pk}/export/csv/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="inscriptions-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # a spreadsheet reads the accents
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv__french_headings_answers_and_no_cell_starts_a_formula(
    login: Callable[[Any], Client], communication: Any, training: EventPage, people: list
) -> None:
    rows = csv_rows(login(communication), training)

    assert rows[0] == [
        "Nom",
        "Courriel",
        "Téléphone",
        "État",
        "Inscrit·e le",
        "Présence notée le",
        "Votre activité",
        "Créneau",
        "Besoin d'un accès PMR ?",
        "'@Question retirée",
    ]
    first = rows[1]
    assert first[0] == '\'=HYPERLINK("http://x.example","clic")'
    assert first[3] == "inscrit·e"
    assert first[5] != ""
    assert first[6:9] == ["'+33 6 12 34 56 78", "Matin", "oui"]
    second = rows[2]
    assert second[0] == "Karim Benali"
    assert second[2] == "'\t04 91"
    assert second[9] == "'-2"
    assert rows[3][0:4] == ["Zoé Attente", "zoe@example.fr", "", "en liste d'attente"]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx__same_table_with_formulas_kept_as_text(
    login: Callable[[Any], Client], communication: Any, training: EventPage, people: list
) -> None:
    response = login(communication).get(f"/admin/inscriptions/{training.pk}/export/xlsx/")

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:4] == ["Nom", "Courriel", "Téléphone", "État"]
    assert rows[1][0] == '=HYPERLINK("http://x.example","clic")'
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
    assert [row[0] for row in rows[1:]] == [
        '=HYPERLINK("http://x.example","clic")',
        "Karim Benali",
        "Zoé Attente",
    ]


def test_export__unknown_format_is_not_found(
    login: Callable[[Any], Client], communication: Any, training: EventPage
) -> None:
    assert (
        login(communication).get(f"/admin/inscriptions/{training.pk}/export/pdf/").status_code
        == 404
    )
