"""A reviewer's decision gives the same result through every door of the admin.

The doors: the editor's footer ("Approuver", "Demander des modifications"), the editor's
approve-with-comment dialog (the same POST with the comment as extra data), and Wagtail's
workflow action view, which the dashboard's task list, its dialogs and the review page the
notification email links to all post to. The browser journeys in
``tests/browser/test_review_doors.py`` go through the same doors in Chromium.
"""

from __future__ import annotations

import datetime
import html
import json
from typing import Any

import pytest

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from wagtail.models import Revision, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from editorial.models import ChamberApprovalTask, FourEyesReviewTask
from news.models import ArticlePage
from tests.factories.editorial import CommunicationUserFactory
from tests.factories.news import ArticlePageFactory
from tests.services import form_fields

from .conftest import current_task_state, workflow_action

pytestmark = pytest.mark.django_db

BODY = "<p>La présidente de la CMA a visité les ateliers des résidents.</p>"


@pytest.fixture
def article(home_page, author, cma) -> ArticlePage:
    """A joint article written outside the editor (as the demo's are), with a dated field."""
    return ArticlePageFactory(
        title="Visite de la présidente de la CMA",
        slug="visite-cma",
        date=datetime.date(2026, 11, 29),
        introduction="Une visite des ateliers.",
        body=[("paragraph", BODY)],
        joint_partner=cma,
        owner=author,
        live=False,
        revision="draft",
        revision__user=author,
    )


def as_the_browser_posts(client: Client, page: ArticlePage, **changes: Any) -> dict[str, Any]:
    """The edit form as the browser submits it when the person changes only ``changes``.

    Read from the served form, as a browser would, plus what Wagtail's scripts write: the body
    (Draftail's JSON, with the block ids) and the empty comments list. No hidden "initial-…"
    input: Wagtail never renders one.
    """
    served = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    data = form_fields(served, "form#page-edit-form")
    data["introduction"] = data["introduction"].lstrip("\n")  # browsers drop it too
    draft = page.get_latest_revision_as_object()
    body = {"count": str(len(draft.body))}
    for index, block in enumerate(draft.body):
        body[str(index)] = {
            "type": block.block_type,
            "value": rich_text(str(block.value.source)),
            "id": block.id,
            "deleted": "",
            "order": str(index),
        }
    data.update(nested_form_data({"body": body, "comments": inline_formset([])}))
    data.update(changes)
    return data


def decide_in_the_editor(
    client: Client, page: ArticlePage, action: str, comment: str | None = None, **changes: Any
) -> Any:
    """The editor's footer button, or (with a comment) its dialog's submit."""
    data = as_the_browser_posts(client, page, **changes)
    data["action-workflow-action"] = "1"
    data["workflow-action-name"] = action
    if comment is not None:
        data["workflow-action-extra-data"] = json.dumps({"comment": comment})
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def decide_in_the_workflow_view(client: Client, page: ArticlePage, action: str) -> Any:
    """The dashboard's buttons and the review page: Wagtail's workflow action URL, no next."""
    task_state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": ""})


def submit(client: Client, page: ArticlePage) -> None:
    data = as_the_browser_posts(client, page, title="Visite de la présidente de la CMA (photos)")
    data["action-submit"] = "1"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert isinstance(current_task_state(page).task.specific, FourEyesReviewTask)


def messages_of(response: Any) -> list[str]:
    """The messages as the person reads them (Wagtail's admin escapes them into HTML)."""
    return [html.unescape(str(message)).strip() for message in get_messages(response.wsgi_request)]


DOORS = {
    "pied de l'éditeur": lambda client, page, action: decide_in_the_editor(client, page, action),
    "dialogue de l'éditeur": lambda client, page, action: decide_in_the_editor(
        client, page, action, comment="Relu."
    ),
    "tableau de bord et page de relecture": decide_in_the_workflow_view,
}


@pytest.mark.parametrize("door", DOORS)
def test_approve__untouched_joint_article_goes_to_the_chamber_without_a_new_revision(
    door, article, author, reviewer, login
) -> None:
    submit(login(author), article)
    revisions = Revision.objects.filter(object_id=str(article.pk)).count()

    response = DOORS[door](login(reviewer), article, "approve")

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert Revision.objects.filter(object_id=str(article.pk)).count() == revisions
    chamber_step = current_task_state(article)
    assert isinstance(chamber_step.task.specific, ChamberApprovalTask)
    assert chamber_step.revision.user == author
    assert messages_of(response) == [
        "Vous avez approuvé « Visite de la présidente de la CMA (photos) ». "
        "Le contenu passe à l'étape « Validation Chambre »."
    ]


@pytest.mark.parametrize("door", DOORS)
def test_request_changes__untouched_joint_article_goes_back_to_its_author(
    door, article, author, reviewer, login
) -> None:
    submit(login(author), article)
    revisions = Revision.objects.filter(object_id=str(article.pk)).count()

    response = DOORS[door](login(reviewer), article, "reject")

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert Revision.objects.filter(object_id=str(article.pk)).count() == revisions
    state = WorkflowState.objects.for_instance(article).get()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert "Vous avez demandé des modifications" in messages_of(response)[0]


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_chamber_decision__lands_on_its_dashboard_with_a_french_confirmation(
    action, article, author, reviewer, approver, login
) -> None:
    submit(login(author), article)
    decide_in_the_workflow_view(login(reviewer), article, "approve")
    chamber = login(approver)

    response = decide_in_the_workflow_view(chamber, article, action)

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    dashboard = chamber.get(response.url)
    assert dashboard.status_code == 200
    expected = "est en ligne" if action == "approve" else "Vous avez demandé des modifications"
    assert expected in dashboard.content.decode()
    article.refresh_from_db()
    assert article.live is (action == "approve")


def test_editor__a_reviewer_is_warned_before_changing_what_they_review(
    article, author, reviewer, login
) -> None:
    submit(login(author), article)

    page = login(reviewer).get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    author_page = login(author).get(reverse("wagtailadmin_pages:edit", args=[article.pk]))

    assert "Vous relisez cette page" in page.content.decode()
    assert "Vous relisez cette page" not in author_page.content.decode()


def test_editor__a_reviewer_who_changed_the_content_hands_it_to_another_reviewer(
    article, author, reviewer, login
) -> None:
    submit(login(author), article)
    third = CommunicationUserFactory(username="troisieme")

    response = decide_in_the_editor(
        login(reviewer), article, "approve", introduction="Une visite des ateliers, en photos."
    )

    assert response.status_code == 302
    assert "Vos modifications" in messages_of(response)[0]
    step = current_task_state(article)
    assert isinstance(step.task.specific, FourEyesReviewTask)
    assert step.revision.user == reviewer
    assert step.status == TaskState.STATUS_IN_PROGRESS
    # Not a loop: the reviewer cannot approve their own version, a third person can.
    assert step.task.specific.get_actions(article, reviewer) == []
    assert step.task.specific.get_actions(article, third)
    workflow_action(login(third), article, "approve")
    assert isinstance(current_task_state(article).task.specific, ChamberApprovalTask)
