"""What each role may do in the admin, tried with its own login."""

from __future__ import annotations

import importlib
import re

import pytest

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from wagtail.models import GroupCollectionPermission, GroupPagePermission, Workflow

from editorial.roles import CHAMBER, COMMUNICATION

from .conftest import (
    assert_sent_back_to_the_dashboard,
    current_task_state,
    edit,
    workflow_action,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_chamber(make_page, author, reviewer, login, on_commit):  # type: ignore[no-untyped-def]
    page = make_page("Conjointe en validation")
    on_commit(edit, login(author), page, "action-submit")
    on_commit(workflow_action, login(reviewer), page, "approve")
    return page


def test_communication__edits_any_page_and_uploads_images_and_documents(
    make_page, home_page, author, login
) -> None:
    client = login(author)
    page = make_page(joint=False)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200
    assert 'id="page-edit-form"' in edit.content.decode()
    home_edit = client.get(reverse("wagtailadmin_pages:edit", args=[home_page.pk]))
    assert home_edit.status_code == 200
    assert 'id="page-edit-form"' in home_edit.content.decode()
    add = client.get(reverse("wagtailadmin_pages:add", args=["home", "standardpage", home_page.pk]))
    assert add.status_code == 200
    assert "wagtailadmin/pages/create.html" in [used.name for used in add.templates]
    for upload in (reverse("wagtailimages:add"), reverse("wagtaildocs:add")):
        response = client.get(upload)
        assert response.status_code == 200, upload
        assert 'type="file"' in response.content.decode(), upload  # the upload form


@pytest.mark.parametrize("joint", [True, False])
def test_chamber__is_sent_back_to_its_dashboard_from_editing_any_page(
    joint, make_page, approver, login
) -> None:
    page = make_page(joint=joint)
    client = login(approver)
    for name, args in [
        ("wagtailadmin_pages:edit", [page.pk]),
        ("wagtailadmin_pages:copy", [page.pk]),
        ("wagtailadmin_pages:move", [page.pk]),
        ("wagtailadmin_pages:delete", [page.pk]),
        ("wagtailadmin_pages:add_subpage", [page.pk]),
    ]:
        assert_sent_back_to_the_dashboard(client.get(reverse(name, args=args)))
    assert_sent_back_to_the_dashboard(
        client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {})
    )


def test_chamber__is_refused_even_the_page_awaiting_its_validation(
    at_chamber, approver, login
) -> None:
    response = login(approver).get(reverse("wagtailadmin_pages:edit", args=[at_chamber.pk]))
    assert_sent_back_to_the_dashboard(response)


def test_chamber__cannot_upload_images_or_documents(approver, login) -> None:
    client = login(approver)
    for name in ("wagtailimages:add", "wagtaildocs:add"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403)
        assert response.status_code != 200


def test_chamber__does_not_see_non_joint_drafts_in_explorer_chooser_or_search(
    make_page, home_page, approver, login
) -> None:
    make_page("Brouillon confidentiel", joint=False)
    make_page("Brouillon conjoint")
    client = login(approver)
    for url in (
        reverse("wagtailadmin_explore", args=[home_page.pk]),
        reverse("wagtailadmin_choose_page_child", args=[home_page.pk]),
        reverse("wagtailadmin_choose_page_search") + "?q=Brouillon",
        reverse("wagtailadmin_pages:search") + "?q=Brouillon",
    ):
        response = client.get(url, follow=True)
        assert "Brouillon confidentiel" not in response.content.decode(), url


def test_chamber__sees_joint_drafts_in_the_page_chooser(make_page, home_page, approver, login):  # type: ignore[no-untyped-def]
    make_page("Brouillon conjoint")
    response = login(approver).get(reverse("wagtailadmin_choose_page_child", args=[home_page.pk]))
    assert "Brouillon conjoint" in response.content.decode()


def test_chamber__previews_and_decides_from_its_review_page(at_chamber, approver, login) -> None:
    client = login(approver)
    task_state = current_task_state(at_chamber)
    review = client.get(reverse("editorial:review", args=[task_state.pk]))
    assert review.status_code == 200
    content = review.content.decode()
    assert "Conjointe en validation" in content
    assert (
        reverse(
            "wagtailadmin_pages:workflow_action", args=[at_chamber.pk, "approve", task_state.pk]
        )
        in content
    )
    preview = client.get(
        reverse("wagtailadmin_pages:workflow_preview", args=[at_chamber.pk, task_state.task_id])
    )
    assert preview.status_code == 200
    assert at_chamber.title in preview.content.decode()


def test_review_page__refused_to_someone_who_cannot_act(at_chamber, author, login) -> None:
    task_state = current_task_state(at_chamber)
    response = login(author).get(reverse("editorial:review", args=[task_state.pk]))
    assert response.status_code in (302, 403)


def test_groups__created_with_exact_page_and_collection_permissions() -> None:
    communication = Group.objects.get(name=COMMUNICATION)
    chamber = Group.objects.get(name=CHAMBER)
    assert set(
        GroupPagePermission.objects.filter(group=communication).values_list(
            "permission__codename", flat=True
        )
    ) == {"add_page", "change_page"}
    assert not GroupPagePermission.objects.filter(group=chamber).exists()
    assert not GroupCollectionPermission.objects.filter(group=chamber).exists()
    assert set(communication.permissions.values_list("codename", flat=True)) == {
        "access_admin",
        "add_send",
        "change_send",
        "view_send",
        "view_subscriber",
        "add_subscriber",
    }
    assert set(chamber.permissions.values_list("codename", flat=True)) == {"access_admin"}


def test_migrations__are_idempotent() -> None:
    groups = importlib.import_module("editorial.migrations.0002_create_groups")
    workflows = importlib.import_module("editorial.migrations.0003_create_workflows")
    newsletters = importlib.import_module("editorial.migrations.0004_newsletter_permissions")
    counts = (
        Group.objects.get(name=COMMUNICATION).permissions.count(),
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
    )
    groups.create_groups(apps, None)
    workflows.create_workflows(apps, None)
    newsletters.grant(apps, None)
    assert (
        Group.objects.get(name=COMMUNICATION).permissions.count(),
        Group.objects.count(),
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Workflow.objects.count(),
    ) == counts
    joint = Workflow.objects.get(name="Contenu conjoint")
    assert [task.name for task in joint.tasks] == ["Relecture Communication", "Validation Chambre"]


@override_settings(DEBUG=True)
def test_local_users__get_exactly_their_roles(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("create_local_users")
    users = get_user_model().objects
    roles = {
        username: set(users.get(username=username).groups.values_list("name", flat=True))
        for username in ("admin", "redaction", "relecture", "chambre")
    }
    assert roles == {
        "admin": set(),
        "redaction": {COMMUNICATION},
        "relecture": {COMMUNICATION},
        "chambre": {CHAMBER},
    }
    assert users.get(username="admin").is_superuser
    assert not users.filter(username__in=["redaction", "relecture", "chambre"], is_superuser=True)
    # A group added by hand is removed on the next run.
    users.get(username="chambre").groups.add(Group.objects.get(name=COMMUNICATION))
    call_command("create_local_users")
    assert set(users.get(username="chambre").groups.values_list("name", flat=True)) == {CHAMBER}


def test_chamber__compares_the_version_under_review_with_the_live_one(
    make_page, author, reviewer, approver, login, on_commit
) -> None:
    page = make_page("Version en ligne", live=True)
    on_commit(edit, login(author), page, "action-submit", title="Version proposée")
    on_commit(workflow_action, login(reviewer), page, "approve")
    task_state = current_task_state(page)
    client = login(approver)

    review = client.get(reverse("editorial:review", args=[task_state.pk])).content.decode()
    compare_url = reverse("editorial:compare", args=[page.pk, "live", task_state.revision_id])
    assert compare_url in review
    response = client.get(compare_url)
    assert response.status_code == 200
    # The title's word diff: "en ligne" removed, "proposée" added.
    content = response.content.decode()
    assert re.search(r'<span class="deletion">\s*en ligne\s*</span>', content)
    assert re.search(r'<span class="addition">\s*proposée\s*</span>', content)


def test_chamber__cannot_compare_versions_of_a_non_joint_page(make_page, approver, login) -> None:
    page = make_page("Ordinaire", joint=False)
    url = reverse("editorial:compare", args=[page.pk, "earliest", "latest"])
    response = login(approver).get(url)
    assert response.status_code in (302, 403)
    assert "Ordinaire" not in response.content.decode()


def test_newsletter_sending__open_to_communication_refused_to_the_chamber(
    home_page, author, approver, login
) -> None:  # type: ignore[no-untyped-def]
    from subscriptions.models import Topic
    from tests.newsletters.issues import make_issue

    issue = make_issue(home_page, Topic.objects.get(slug="actualites"))
    send_page = f"/admin/newsletters/issue/{issue.pk}/send/"

    opened = login(author).get(send_page)
    assert opened.status_code == 200
    assert issue.title in opened.content.decode()
    refused = login(approver).get(send_page)
    assert refused.status_code in (302, 403)
    assert "/send/" not in refused.get("Location", "")
