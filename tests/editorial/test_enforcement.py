"""No path puts joint content live without the chamber's sign-off of that exact revision.

Each path is tried from the admin as a communications editor (who holds no publish permission)
and as a "publisher": a non-administrator who was granted publish permission — so the refusal
is shown to come from the editorial guard, not only from missing permissions. Only an
administrator gets through, and that bypass is recorded.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from django.contrib.messages import get_messages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageLogEntry, Revision, WorkflowState

from editorial.enforcement import (
    BYPASS_LOG_ACTION,
    ChamberApprovalRequired,
    acting_as,
    chamber_bypass,
)
from editorial.models import ChamberSignOff
from editorial.routing import JOINT_WORKFLOW
from home.models import StandardPage

from .conftest import (
    assert_refused_by_the_chamber_guard,
    current_task_state,
    edit,
    form_data,
    in_the_future,
    workflow_action,
)

pytestmark = pytest.mark.django_db


def live_titles() -> set[str]:
    return set(StandardPage.objects.filter(live=True).values_list("title", flat=True))


@pytest.fixture
def joint_draft(make_page):  # type: ignore[no-untyped-def]
    return make_page("Atelier conjoint")


@pytest.fixture
def joint_live(make_page, admin, login, on_commit):  # type: ignore[no-untyped-def]
    """A joint page already live (published by an administrator)."""
    return make_page("Page conjointe en ligne", live=True)


@pytest.mark.parametrize("who", ["author", "publisher"])
def test_publish_button__cannot_put_a_joint_page_live(request, who, joint_draft, login) -> None:
    user = request.getfixturevalue(who)
    client = login(user)
    edit_page = client.get(reverse("wagtailadmin_pages:edit", args=[joint_draft.pk]))
    assert b'name="action-publish"' not in edit_page.content

    edit(client, joint_draft, "action-publish", title="Publiée sans la Chambre")
    joint_draft.refresh_from_db()
    assert not joint_draft.live
    assert "Publiée sans la Chambre" not in live_titles()


def test_publish_button__refused_with_a_message_for_a_publisher(
    joint_draft, publisher, login
) -> None:
    response = edit(login(publisher), joint_draft, "action-publish")
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=[joint_draft.pk])
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("validation de la Chambre" in text for text in texts), texts
    joint_draft.refresh_from_db()
    assert not joint_draft.live
    # The draft is kept: the editor can submit it.
    assert joint_draft.get_latest_revision().user == publisher


def test_publish_button__cannot_put_new_content_on_a_live_joint_page(
    joint_live, publisher, login
) -> None:
    before = joint_live.live_revision_id
    response = edit(login(publisher), joint_live, "action-publish", title="Nouveau contenu")
    assert_refused_by_the_chamber_guard(response, joint_live)
    joint_live.refresh_from_db()
    assert joint_live.live_revision_id == before
    assert joint_live.title == "Page conjointe en ligne"
    # The new content was taken (kept as a draft), only its publication refused.
    assert joint_live.get_latest_revision_as_object().title == "Nouveau contenu"


def test_go_live_date__cannot_schedule_a_joint_page(joint_draft, publisher, login) -> None:
    go_live = in_the_future()
    response = edit(login(publisher), joint_draft, "action-publish", go_live_at=go_live)
    assert_refused_by_the_chamber_guard(response, joint_draft)
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    # The date was understood (the draft carries it), only the scheduling refused.
    joint_draft.refresh_from_db()
    assert joint_draft.get_latest_revision_as_object().go_live_at is not None


def test_go_live_date__model_refuses_to_schedule_an_unsigned_joint_revision(
    joint_draft, publisher
) -> None:
    revision = joint_draft.get_latest_revision()
    revision.approved_go_live_at = timezone.now() + timedelta(days=1)
    with acting_as(publisher), pytest.raises(ChamberApprovalRequired):
        revision.save(update_fields=["approved_go_live_at"])


def test_publish_scheduled__withdraws_an_unsigned_joint_schedule_and_publishes_the_rest(
    joint_draft, make_page
) -> None:
    ordinary = make_page("Page ordinaire programmée", joint=False)
    past = timezone.now() - timedelta(minutes=5)
    # Schedules written straight to the database, as if they predated the guard.
    Revision.objects.filter(
        pk__in=[joint_draft.latest_revision_id, ordinary.latest_revision_id]
    ).update(approved_go_live_at=past)
    call_command("publish_scheduled", verbosity=0)

    joint_draft.refresh_from_db()
    ordinary.refresh_from_db()
    assert not joint_draft.live
    assert ordinary.live
    assert Revision.objects.get(pk=joint_draft.latest_revision_id).approved_go_live_at is None


def test_publish_scheduled__publishes_a_joint_revision_the_chamber_approved_with_a_date(
    joint_draft, author, reviewer, approver, login, on_commit
) -> None:
    go_live = in_the_future()
    on_commit(edit, login(author), joint_draft, "action-submit", go_live_at=go_live)
    on_commit(workflow_action, login(reviewer), joint_draft, "approve")
    on_commit(workflow_action, login(approver), joint_draft, "approve")
    joint_draft.refresh_from_db()
    assert not joint_draft.live
    scheduled = Revision.objects.get(approved_go_live_at__isnull=False)

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        call_command("publish_scheduled", verbosity=0)
    joint_draft.refresh_from_db()
    assert joint_draft.live
    assert joint_draft.live_revision_id == scheduled.pk


def test_bulk_publish__cannot_put_a_joint_page_live(joint_draft, publisher, login) -> None:
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = login(publisher).post(f"{url}?id={joint_draft.pk}", {"include_descendants": ""})
    assert response.status_code == 302
    joint_draft.refresh_from_db()
    assert not joint_draft.live


def test_bulk_publish__model_guard_holds_without_the_hook(joint_draft, publisher) -> None:
    with acting_as(publisher), pytest.raises(ChamberApprovalRequired):
        joint_draft.get_latest_revision().publish(user=publisher)
    joint_draft.refresh_from_db()
    assert not joint_draft.live


@pytest.mark.parametrize("option", ["publish_copies", "alias"])
def test_copy__cannot_create_a_live_joint_copy(
    option, joint_live, home_page, publisher, login
) -> None:
    url = reverse("wagtailadmin_pages:copy", args=[joint_live.pk])
    login(publisher).post(
        url,
        {
            "new_title": "Copie conjointe",
            "new_slug": "copie-conjointe",
            "new_parent_page": home_page.pk,
            option: "on",
        },
    )
    assert not StandardPage.objects.filter(slug="copie-conjointe", live=True).exists()


def test_copy__model_guard_refuses_a_live_copy_without_the_hook(
    joint_live, home_page, publisher
) -> None:
    with acting_as(publisher), pytest.raises(ChamberApprovalRequired):
        joint_live.copy(to=home_page, update_attrs={"slug": "copie-directe"}, keep_live=True)
    assert not StandardPage.objects.filter(slug="copie-directe").exists()


def test_copy__as_a_draft_is_allowed_and_then_needs_the_chamber(
    joint_live, home_page, publisher, author, login, on_commit
) -> None:
    url = reverse("wagtailadmin_pages:copy", args=[joint_live.pk])
    login(publisher).post(
        url,
        {
            "new_title": "Copie brouillon",
            "new_slug": "copie-brouillon",
            "new_parent_page": home_page.pk,
        },
    )
    copy = StandardPage.objects.get(slug="copie-brouillon")
    assert not copy.live
    on_commit(edit, login(author), copy, "action-submit")
    assert WorkflowState.objects.for_instance(copy).get().workflow.name == JOINT_WORKFLOW


def test_move__keeps_the_joint_draft_on_the_chamber_route_and_offline(
    joint_draft, make_page, publisher, author, login, on_commit
) -> None:
    elsewhere = make_page("Rubrique ordinaire", joint=False, live=True)
    url = reverse("wagtailadmin_pages:move_confirm", args=[joint_draft.pk, elsewhere.pk])
    response = login(publisher).post(url)
    assert response.status_code == 302
    joint_draft.refresh_from_db()
    assert joint_draft.get_parent().pk == elsewhere.pk
    assert not joint_draft.live
    on_commit(edit, login(author), joint_draft, "action-submit")
    assert WorkflowState.objects.for_instance(joint_draft).get().workflow.name == JOINT_WORKFLOW


def test_removing_the_marker__is_itself_joint(
    joint_live, author, reviewer, login, on_commit
) -> None:
    on_commit(edit, login(author), joint_live, "action-submit", joint_partner="")
    assert WorkflowState.objects.for_instance(joint_live).get().workflow.name == JOINT_WORKFLOW
    on_commit(workflow_action, login(reviewer), joint_live, "approve")
    joint_live.refresh_from_db()
    assert joint_live.joint_partner_id is not None  # still the chamber-approved version
    assert current_task_state(joint_live).task.name == "Validation Chambre"


def test_removing_the_marker__refused_on_publish_by_a_publisher(
    joint_live, publisher, login
) -> None:
    response = edit(login(publisher), joint_live, "action-publish", joint_partner="")
    assert_refused_by_the_chamber_guard(response, joint_live)
    joint_live.refresh_from_db()
    assert joint_live.joint_partner_id is not None


def test_unpublish_then_remove_the_marker__still_needs_the_chamber(
    joint_live, publisher, author, login, on_commit
) -> None:
    response = login(publisher).post(reverse("wagtailadmin_pages:unpublish", args=[joint_live.pk]))
    assert response.status_code == 302
    joint_live.refresh_from_db()
    assert not joint_live.live

    edit(login(publisher), joint_live, "action-publish", joint_partner="")
    joint_live.refresh_from_db()
    assert not joint_live.live
    on_commit(edit, login(author), joint_live, "action-submit")
    assert WorkflowState.objects.for_instance(joint_live).get().workflow.name == JOINT_WORKFLOW


def test_revert_view__cannot_put_an_old_revision_back_live(
    joint_live, admin, publisher, login
) -> None:
    old = joint_live.live_revision
    edit(login(admin), joint_live, "action-publish", title="Version actuelle")
    joint_live.refresh_from_db()
    current = joint_live.live_revision_id

    url = reverse("wagtailadmin_pages:revisions_revert", args=[joint_live.pk, old.pk])
    data = {"action-publish": "1", **form_data(old.as_object())}
    login(publisher).post(url, data)
    joint_live.refresh_from_db()
    assert joint_live.live_revision_id == current
    assert joint_live.title == "Version actuelle"


def test_overwriting_a_revision_under_review__is_refused(
    joint_draft, author, login, on_commit
) -> None:
    on_commit(edit, login(author), joint_draft, "action-submit")
    revision = current_task_state(joint_draft).revision
    page = revision.as_object()
    page.title = "Réécrite en douce"
    with pytest.raises(Exception, match="soumise à relecture"):
        page.save_revision(user=author, overwrite_revision=revision)


def test_administrator__bypasses_and_the_bypass_is_recorded(joint_draft, admin, login) -> None:
    response = edit(login(admin), joint_draft, "action-publish", title="Publiée par l'admin")
    assert response.status_code == 302
    joint_draft.refresh_from_db()
    assert joint_draft.live
    sign_off = ChamberSignOff.objects.get(page=joint_draft, kind=ChamberSignOff.Kind.BYPASS)
    assert sign_off.user == admin
    assert sign_off.revision_id == joint_draft.live_revision_id
    assert PageLogEntry.objects.filter(
        page=joint_draft, action=BYPASS_LOG_ACTION, user=admin
    ).exists()


def test_administrator__scheduled_bypass_goes_live_on_time(joint_draft, admin, login) -> None:
    go_live = in_the_future()
    edit(login(admin), joint_draft, "action-publish", go_live_at=go_live)
    scheduled = Revision.objects.get(approved_go_live_at__isnull=False)
    assert ChamberSignOff.objects.filter(revision=scheduled, kind="bypass", user=admin).exists()

    with time_machine.travel(timezone.now() + timedelta(days=3)):
        call_command("publish_scheduled", verbosity=0)
    joint_draft.refresh_from_db()
    assert joint_draft.live


def test_create_and_publish__cannot_put_a_new_joint_page_live(
    home_page, cma, publisher, login
) -> None:
    url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", home_page.pk])
    new = StandardPage(title="Créée et publiée", slug="creee-et-publiee", joint_partner=cma)
    data = form_data(new)
    data["action-publish"] = "1"
    response = login(publisher).post(url, data)
    assert response.status_code == 302
    assert not StandardPage.objects.filter(slug="creee-et-publiee", live=True).exists()
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("validation de la Chambre" in text for text in texts), texts


def test_outside_any_request__publishing_joint_content_is_refused(joint_draft) -> None:
    # A Celery task or a command gets no implicit pass: it must say why it bypasses.
    with pytest.raises(ChamberApprovalRequired):
        joint_draft.get_latest_revision().publish()
    joint_draft.refresh_from_db()
    assert not joint_draft.live
    assert not ChamberSignOff.objects.filter(page=joint_draft).exists()


def test_outside_any_request__an_operator_bypass_is_recorded_with_its_reason(joint_draft) -> None:
    with chamber_bypass("reprise des contenus de l'ancien site"):
        joint_draft.get_latest_revision().publish()
    joint_draft.refresh_from_db()
    assert joint_draft.live
    sign_off = ChamberSignOff.objects.get(page=joint_draft)
    assert sign_off.kind == ChamberSignOff.Kind.BYPASS
    assert sign_off.user is None
    assert sign_off.reason == "reprise des contenus de l'ancien site"
