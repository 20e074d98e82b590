"""Wagtail's install-time workflow and groups are gone, unless someone still depends on them."""

from __future__ import annotations

import importlib

import pytest

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from wagtail.models import (
    GroupApprovalTask,
    Page,
    Task,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
)

from editorial.roles import CHAMBER, COMMUNICATION
from tests.factories.editorial import UserFactory
from tests.factories.home import StandardPageFactory

pytestmark = pytest.mark.django_db


def remove_wagtail_defaults() -> None:
    """Run the data migration's function again, on the test database as it stands."""
    migration = importlib.import_module(
        "editorial.migrations.0005_remove_wagtail_default_workflow_and_groups"
    )
    migration.remove_wagtail_defaults(apps, None)


def test_migrated_database__has_only_the_sites_workflows_tasks_and_groups() -> None:
    assert set(Workflow.objects.values_list("name", flat=True)) == {
        "Relecture",
        "Contenu conjoint",
    }
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert set(Group.objects.values_list("name", flat=True)) == {COMMUNICATION, CHAMBER}


def test_admin_lists__show_neither_moderators_nor_editors(admin_client_logged: Client) -> None:
    groups = admin_client_logged.get("/admin/groups/")
    workflows = admin_client_logged.get("/admin/workflows/list/")
    assert groups.status_code == workflows.status_code == 200
    html = groups.content.decode() + workflows.content.decode()
    assert COMMUNICATION in html and "Relecture" in html  # the lists do list things
    for name in ("Moderators", "Editors", "Moderators approval"):
        assert name not in html


def _wagtail_defaults() -> tuple[Workflow, GroupApprovalTask]:
    """Wagtail's install-time objects, as its own migrations create them."""
    moderators = Group.objects.create(name="Moderators")
    Group.objects.create(name="Editors")
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.set([moderators])
    workflow = Workflow.objects.create(name="Moderators approval")
    workflow.workflow_tasks.create(task=task, sort_order=0)
    return workflow, task


def test_removal__deletes_the_unused_defaults_and_their_assignments(home_page) -> None:
    workflow, _ = _wagtail_defaults()
    WorkflowPage.objects.create(page=home_page, workflow=workflow)

    remove_wagtail_defaults()

    assert not Workflow.objects.filter(name="Moderators approval").exists()
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()
    assert not WorkflowPage.objects.filter(page=home_page).exists()


def test_removal__keeps_a_group_with_members_and_says_so(caplog) -> None:  # type: ignore[no-untyped-def]
    _wagtail_defaults()
    editor = UserFactory(username="ancien")
    editor.groups.add(Group.objects.get(name="Editors"))

    remove_wagtail_defaults()

    assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
    assert not Group.objects.filter(name="Moderators").exists()
    assert "'Editors' kept: it has members" in caplog.text


def test_removal__deactivates_a_workflow_with_history(admin_user, home_page) -> None:  # type: ignore[no-untyped-def]
    workflow, task = _wagtail_defaults()
    page = StandardPageFactory(parent=home_page, title="À propos")
    page_type = ContentType.objects.get_for_model(Page)
    state = WorkflowState.objects.create(
        workflow=workflow,
        content_type=page_type,
        base_content_type=page_type,
        object_id=str(page.pk),
        requested_by=admin_user,
        status=WorkflowState.STATUS_CANCELLED,
    )
    TaskState.objects.create(
        workflow_state=state,
        revision=page.save_revision(user=admin_user),
        task=task,
        content_type=ContentType.objects.get_for_model(GroupApprovalTask),
        status=TaskState.STATUS_CANCELLED,
    )

    remove_wagtail_defaults()

    workflow.refresh_from_db()
    task.refresh_from_db()
    assert not workflow.active and not task.active  # out of use, history intact
    assert WorkflowState.objects.filter(workflow=workflow).exists()
