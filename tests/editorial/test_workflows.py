"""Routing and approvals, from the admin: one review for ordinary content, then the chamber
for joint content; four eyes; the approved revision is the one that goes live."""

from __future__ import annotations

import pytest

from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from wagtail.models import TaskState, WorkflowState

from editorial.models import ChamberApprovalTask, ChamberSignOff
from editorial.routing import JOINT_WORKFLOW, REVIEW_WORKFLOW

from .conftest import assert_refused, current_task_state, edit, workflow_action

pytestmark = pytest.mark.django_db


def test_ordinary_page__one_review_by_a_colleague_puts_it_live_and_never_reaches_the_chamber(
    make_page, author, reviewer, approver, login, on_commit, mailoutbox
) -> None:
    page = make_page("Portes ouvertes", joint=False)
    response = on_commit(edit, login(author), page, "action-submit")
    assert response.status_code == 302

    state = WorkflowState.objects.for_instance(page).get()
    assert state.workflow.name == REVIEW_WORKFLOW
    on_commit(workflow_action, login(reviewer), page, "approve")

    page.refresh_from_db()
    assert page.live
    assert not TaskState.objects.filter(task__in=ChamberApprovalTask.objects.values("pk")).exists()
    assert approver.email not in {address for mail in mailoutbox for address in mail.to}


def test_joint_page__review_then_chamber_approval_puts_that_revision_live(
    make_page, author, reviewer, approver, login, on_commit
) -> None:
    page = make_page()
    on_commit(edit, login(author), page, "action-submit", title="Atelier CMA")
    state = WorkflowState.objects.for_instance(page).get()
    assert state.workflow.name == JOINT_WORKFLOW

    on_commit(workflow_action, login(reviewer), page, "approve", "Relu, prêt pour la Chambre.")
    page.refresh_from_db()
    assert not page.live
    chamber_state = current_task_state(page)
    assert isinstance(chamber_state.task.specific, ChamberApprovalTask)

    response = on_commit(workflow_action, login(approver), page, "approve", "Validé.")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live
    assert page.title == "Atelier CMA"
    assert page.live_revision_id == chamber_state.revision_id
    sign_off = ChamberSignOff.objects.get(revision=chamber_state.revision)
    assert sign_off.kind == ChamberSignOff.Kind.APPROVAL
    assert sign_off.user == approver


def test_joint_page__anywhere_in_the_tree_goes_to_the_chamber(
    make_page, author, login, on_commit
) -> None:
    parent = make_page("Rubrique", joint=False, live=True)
    child = make_page("Sous-page conjointe", parent=parent)
    on_commit(edit, login(author), child, "action-submit")
    assert WorkflowState.objects.for_instance(child).get().workflow.name == JOINT_WORKFLOW


def test_approve__refused_to_the_author_of_the_revision(
    make_page, author, reviewer, login, on_commit
) -> None:
    page = make_page(joint=False)
    client = login(author)
    on_commit(edit, client, page, "action-submit")
    task_state = current_task_state(page)

    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit_page.status_code == 200
    assert b"data-workflow-action-url" not in edit_page.content
    assert "approve" not in [
        name for name, *_ in task_state.task.specific.get_actions(page, author)
    ]

    assert_refused(workflow_action(client, page, "approve"))
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS

    # Through the edit form's workflow action button, too.
    edit(client, page, "action-workflow-action", **{"workflow-action-name": "approve"})
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert not page.live


def test_approve__refused_in_on_action_even_when_called_directly(
    make_page, author, login, on_commit
) -> None:
    page = make_page(joint=False)
    on_commit(edit, login(author), page, "action-submit")
    task_state = current_task_state(page)
    with pytest.raises(PermissionDenied, match="propre version"):
        task_state.task.specific.on_action(task_state, author, "approve")


def test_chamber_approval__refused_to_a_communications_editor(
    make_page, author, reviewer, login, on_commit
) -> None:
    page = make_page()
    on_commit(edit, login(author), page, "action-submit")
    on_commit(workflow_action, login(reviewer), page, "approve")
    assert_refused(workflow_action(login(reviewer), page, "approve"))
    page.refresh_from_db()
    assert not page.live


def test_edit_after_approval__needs_approval_again(
    make_page, author, reviewer, login, on_commit
) -> None:
    page = make_page(joint=False)
    client = login(author)
    on_commit(edit, client, page, "action-submit")
    first = current_task_state(page)
    on_commit(edit, client, page, title="Nouveau titre")  # a new draft, during the review

    on_commit(workflow_action, login(reviewer), page, "approve", task_state=first)
    page.refresh_from_db()
    assert not page.live
    again = current_task_state(page)
    assert again.pk != first.pk
    assert again.revision_id == page.latest_revision_id


@override_settings(WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT=False)
def test_final_approval__publishes_the_approved_revision_not_a_newer_draft(
    make_page, author, reviewer, login, on_commit
) -> None:
    page = make_page("Version relue", joint=False)
    client = login(author)
    on_commit(edit, client, page, "action-submit")
    approved = current_task_state(page)
    on_commit(edit, client, page, title="Version jamais relue")

    on_commit(workflow_action, login(reviewer), page, "approve", task_state=approved)
    page.refresh_from_db()
    assert page.live
    assert page.live_revision_id == approved.revision_id
    assert page.title == "Version relue"
    assert page.has_unpublished_changes


def test_chamber_approval_of_an_old_revision__does_not_publish_the_newer_one(
    make_page, author, reviewer, approver, admin, login, on_commit
) -> None:
    page = make_page("Version validée")
    on_commit(edit, login(author), page, "action-submit")
    on_commit(workflow_action, login(reviewer), page, "approve")
    chamber_state = current_task_state(page)
    # An administrator saves a newer draft while the chamber is reviewing.
    on_commit(edit, login(admin), page, title="Version non validée")

    on_commit(workflow_action, login(approver), page, "approve", task_state=chamber_state)
    page.refresh_from_db()
    assert not page.live
    assert page.live_revision_id is None
    assert page.get_latest_revision().as_object().title == "Version non validée"


def test_marker_added_during_review__is_sent_on_to_the_chamber(
    make_page, author, reviewer, cma, login, on_commit
) -> None:
    page = make_page("Devenue conjointe", joint=False)
    on_commit(edit, login(author), page, "action-submit")
    state = current_task_state(page)
    # The reviewer adds the marker while approving (the edit form's workflow action).
    on_commit(
        edit,
        login(reviewer),
        page,
        "action-workflow-action",
        joint_partner=cma.pk,
        **{"workflow-action-name": "approve"},
    )
    state.refresh_from_db()
    assert state.status == TaskState.STATUS_APPROVED
    # The reviewer's own edit needs another pair of eyes: the author approves it.
    on_commit(workflow_action, login(author), page, "approve")

    page.refresh_from_db()
    assert not page.live
    current = WorkflowState.objects.active().for_instance(page).get()
    assert current.workflow.name == JOINT_WORKFLOW
