"""CSV exports never carry a formula: Wagtail's own reports as well as the project's."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from django.test import Client

from home.models import StandardPage
from ops.spreadsheets import neutralise_cell


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralise_cell__quotes_text_that_would_start_a_formula(trigger: str) -> None:
    assert neutralise_cell(f"{trigger}1+1") == f"'{trigger}1+1"


@pytest.mark.parametrize("value", ["Atelier", "marie@example.fr", "", 42, None, "1-2"])
def test_neutralise_cell__leaves_other_values_alone(value: Any) -> None:
    assert neutralise_cell(value) == value


@pytest.mark.django_db
def test_wagtail_aging_pages_report__csv_quotes_a_title_that_is_a_formula(
    client: Client, admin_user: Any, home_page: Any
) -> None:
    for title in ("-2+3+cmd|' /C calc'!A0", "Atelier du lundi"):
        page = home_page.add_child(instance=StandardPage(title=title, slug=f"p-{len(title)}"))
        page.save_revision(user=admin_user).publish(user=admin_user)
    client.force_login(admin_user)

    response = client.get("/admin/reports/aging-pages/", {"export": "csv"})

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    titles = {row[0] for row in list(csv.reader(io.StringIO(body)))[1:]}
    assert "'-2+3+cmd|' /C calc'!A0" in titles
    assert "Atelier du lundi" in titles
