"""The editors' dashboards: each role finds, first, the work that is theirs.

Each check reads one panel's section (found by its heading), so that a title shown in another
panel does not make it pass.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag

from django.test import Client, RequestFactory
from django.urls import reverse

from editorial.panels import MyDraftsPanel, TeamAwaitingChamberPanel, ToReviewPanel
from editorial.routing import CHAMBER_TASK, REVIEW_TASK

from .conftest import edit, workflow_action

pytestmark = pytest.mark.django_db

TO_REVIEW = "À relire"
MY_DRAFTS = "Mes brouillons"
AT_CHAMBER = "En attente de la Chambre"


def dashboard(client: Client) -> list[tuple[str, Tag]]:
    """The dashboard's panels, in page order: (heading, section)."""
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [
        (section.select_one("[data-panel-heading-text]").get_text(strip=True), section)
        for section in soup.select("main section.w-panel")
    ]


def panel(client: Client, heading: str) -> Tag:
    found = [section for title, section in dashboard(client) if title == heading]
    assert len(found) == 1, f"{heading!r}: {len(found)} panels"
    return found[0]


def rows(section: Tag) -> dict[str, list[str]]:
    """The panel's table rows, by title: the text of each cell."""
    table = {}
    for row in section.select("tbody tr"):
        cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        table[cells[0]] = cells
    return table


def links(section: Tag, title: str) -> list[str]:
    for row in section.select("tbody tr"):
        if row.find("td").get_text(strip=True) == title:
            return [a["href"] for a in row.find_all("a")] + [
                b["data-workflow-action-url"] for b in row.select("[data-workflow-action-url]")
            ]
    raise AssertionError(f"no row {title!r}")


@pytest.fixture
def at_chamber(make_page, author, reviewer, login, on_commit):  # type: ignore[no-untyped-def]
    """A joint page by the author, approved by a colleague: it waits for the chamber."""
    page = make_page("Atelier avec la CMA")
    on_commit(edit, login(author), page, "action-submit")
    on_commit(workflow_action, login(reviewer), page, "approve")
    return page


def test_communication__sees_its_three_panels_first_and_none_of_wagtails_duplicates(
    make_page, author, login
) -> None:
    make_page("Un brouillon")
    headings = [title for title, _section in dashboard(login(author))]
    assert headings[:3] == [TO_REVIEW, MY_DRAFTS, AT_CHAMBER]
    for title in (TO_REVIEW, MY_DRAFTS, AT_CHAMBER):
        assert headings.count(title) == 1
    # Wagtail's "awaiting your review" and "your most recent edits" list the same items.
    assert "Vos modifications les plus récentes" not in headings
    assert "En attente de votre relecture" not in headings


def test_to_review__shows_a_colleague_the_authors_page_with_its_step(
    make_page, author, reviewer, login, on_commit
) -> None:
    page = make_page("Portes ouvertes")
    on_commit(edit, login(author), page, "action-submit")

    section = panel(login(reviewer), TO_REVIEW)
    row = rows(section)["Portes ouvertes"]
    assert row[1:3] == [REVIEW_TASK, "Auteur"]
    task_state = page.current_workflow_task_state
    assert reverse("editorial:review", args=[task_state.pk]) in links(section, "Portes ouvertes")
    assert reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
    ) in links(section, "Portes ouvertes")


def test_to_review__leaves_out_the_authors_own_revision(
    make_page, author, reviewer, login, on_commit
) -> None:
    own = make_page("Ma propre page")
    on_commit(edit, login(author), own, "action-submit")
    # A colleague's submission shows that the author's panel does list what they may review.
    theirs = make_page("La page d'une collègue", joint=False)
    on_commit(edit, login(reviewer), theirs, "action-submit", introduction="Relue.")

    listed = rows(panel(login(author), TO_REVIEW))
    assert listed["La page d'une collègue"][1:3] == [REVIEW_TASK, "Relectrice"]
    assert "Ma propre page" not in listed


def test_my_drafts__lists_my_unsubmitted_pages_only(
    make_page, author, reviewer, login, on_commit
) -> None:
    make_page("Brouillon de l'auteur")
    submitted = make_page("Déjà soumise")
    on_commit(edit, login(author), submitted, "action-submit")

    mine = rows(panel(login(author), MY_DRAFTS))
    assert list(mine) == ["Brouillon de l'auteur"]
    assert mine["Brouillon de l'auteur"][1] == "brouillon"
    assert rows(panel(login(reviewer), MY_DRAFTS)) == {}


def test_my_drafts__links_to_the_editor(make_page, author, login) -> None:
    page = make_page("À reprendre demain")
    client = login(author)
    section = panel(client, MY_DRAFTS)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert edit_url in links(section, "À reprendre demain")
    editor = client.get(edit_url)
    assert editor.status_code == 200
    assert 'id="page-edit-form"' in editor.content.decode()


def test_awaiting_chamber__the_team_follows_joint_content_at_the_chambers_step(
    at_chamber, author, reviewer, login
) -> None:
    task_state = at_chamber.current_workflow_task_state
    for user in (author, reviewer):
        client = login(user)
        section = panel(client, AT_CHAMBER)
        assert rows(section)["Atelier avec la CMA"][1] == "Auteur"
        preview = reverse(
            "wagtailadmin_pages:revisions_view", args=[at_chamber.pk, task_state.revision_id]
        )
        assert links(section, "Atelier avec la CMA") == [preview]
        shown = client.get(preview)
        assert shown.status_code == 200
        assert "Atelier avec la CMA" in shown.content.decode()
        # Not theirs to review: the chamber decides.
        assert "Atelier avec la CMA" not in rows(panel(client, TO_REVIEW))


def test_chamber__first_panel_unchanged_and_no_communication_panels(
    at_chamber, approver, login
) -> None:
    panels = dashboard(login(approver))
    assert panels[0][0] == AT_CHAMBER
    assert panels[0][1]["id"] == "editorial-awaiting-chamber-section"
    assert rows(panels[0][1])["Atelier avec la CMA"][1] == "Auteur"
    headings = [title for title, _section in panels]
    assert TO_REVIEW not in headings
    assert MY_DRAFTS not in headings
    assert headings.count(AT_CHAMBER) == 1


def test_administrator__reviews_every_step_and_keeps_the_chambers_panel(
    make_page, at_chamber, author, admin, login, on_commit
) -> None:
    at_review = make_page("En relecture")
    on_commit(edit, login(author), at_review, "action-submit")

    panels = dashboard(login(admin))
    headings = [title for title, _section in panels]
    assert headings[:3] == [AT_CHAMBER, TO_REVIEW, MY_DRAFTS]
    assert headings.count(AT_CHAMBER) == 1
    assert panels[0][1]["id"] == "editorial-awaiting-chamber-section"
    steps = {title: row[1] for title, row in rows(panels[1][1]).items()}
    assert steps == {"En relecture": REVIEW_TASK, "Atelier avec la CMA": CHAMBER_TASK}


def _render(panel_class: type, user: Any) -> str:
    request = RequestFactory().get("/admin/")
    request.user = user
    return panel_class().render_html({"request": request, "csrf_token": "x"})


def fresh(user: Any) -> Any:
    return type(user).objects.get(pk=user.pk)


def _fill(make_page, author, reviewer, login, on_commit, count: int, start: int) -> None:  # type: ignore[no-untyped-def]
    """``count`` pages in each state the panels list, as seen by the reviewer."""
    for n in range(start, start + count):
        make_page(f"Brouillon {n}", joint=False).save_revision(user=reviewer)
        waiting = make_page(f"À relire {n}", joint=False)
        on_commit(edit, login(author), waiting, "action-submit")
        joint = make_page(f"Conjoint {n}")
        on_commit(edit, login(author), joint, "action-submit")
        on_commit(workflow_action, login(reviewer), joint, "approve")


@pytest.mark.parametrize("panel_class", [ToReviewPanel, MyDraftsPanel, TeamAwaitingChamberPanel])
def test_panels__run_as_many_queries_for_many_items_as_for_few(
    panel_class, make_page, author, reviewer, login, on_commit, django_assert_max_num_queries
) -> None:
    _fill(make_page, author, reviewer, login, on_commit, count=2, start=0)
    # A fresh user each time: nothing cached on it from the requests above. The bound grows
    # with the number of tasks (one group check each), never with the number of items.
    user = fresh(reviewer)
    with django_assert_max_num_queries(9) as few:
        html = _render(panel_class, user)
    assert html.count("<tr>") == 1 + 2

    _fill(make_page, author, reviewer, login, on_commit, count=5, start=2)
    user = fresh(reviewer)
    with django_assert_max_num_queries(9) as many:
        html = _render(panel_class, user)
    assert html.count("<tr>") == 1 + 7
    assert len(many.captured_queries) == len(few.captured_queries)
