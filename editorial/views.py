"""Admin views: the reviewer's page for one task, the joint content report, the dashboard panel."""

from __future__ import annotations

from typing import Any

import django_filters

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    CharField,
    Exists,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.models import RevisionsCompareView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminDateInput
from wagtail.models import Page, TaskState, WorkflowState

from .models import ChamberApprovalTask, ChamberSignOff
from .roles import CHAMBER, COMMUNICATION, is_chamber_approver, user_name
from .routing import joint_page_ids, needs_chamber
from .tasks import waiting_for_chamber


class CompareView(RevisionsCompareView):
    """Compare two versions of a joint page — open to the chamber, which cannot edit it.

    Wagtail's own comparison view requires edit or publish permission on the page.
    """

    model = Page
    header_icon = "doc-empty-inverse"

    def get_object(self, queryset: Any = None) -> Page:
        page = get_object_or_404(Page, pk=self.pk).specific
        user = self.request.user
        allowed = page.permissions_for_user(user).can_edit() or (
            is_chamber_approver(user) and needs_chamber(page)
        )
        if not allowed:
            raise PermissionDenied
        return page

    def get_edit_handler(self) -> Any:
        return self.object.get_edit_handler()

    def get_page_subtitle(self) -> str:
        return self.object.get_admin_display_title()


def review(request: HttpRequest, task_state_id: int) -> HttpResponse:
    """One item awaiting review: what it is, who sent it, and the decision form.

    The form posts to Wagtail's workflow action view, which checks the actions again (the
    four-eyes rule is enforced in the task itself).
    """
    task_state = get_object_or_404(
        TaskState.objects.select_related("revision", "workflow_state"), pk=task_state_id
    )
    page = get_object_or_404(Page, pk=int(task_state.workflow_state.object_id)).specific
    task = task_state.task.specific
    in_progress = task_state.status == TaskState.STATUS_IN_PROGRESS
    actions = task.get_actions(page, request.user) if in_progress else []
    if in_progress and not actions:
        raise PermissionDenied
    if not in_progress and not (request.user.is_superuser or task._user_in_groups(request.user)):
        raise PermissionDenied
    previous = (
        TaskState.objects.filter(
            workflow_state=task_state.workflow_state,
            revision=task_state.revision,
            status=TaskState.STATUS_APPROVED,
        )
        .exclude(pk=task_state.pk)
        .order_by("-finished_at")
        .first()
    )
    next_url = reverse("wagtailadmin_home")
    return TemplateResponse(
        request,
        "editorial/review.html",
        {
            "task_state": task_state,
            "task": task,
            "page": page,
            "draft": task_state.revision.as_object(),
            "in_progress": in_progress,
            "previous": previous,
            "preview_url": reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task.pk]),
            "compare_url": (
                reverse("editorial:compare", args=[page.pk, "live", task_state.revision_id])
                if page.live
                else ""
            ),
            "approve_url": reverse(
                "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk]
            )
            + f"?next={next_url}",
            "reject_url": reverse(
                "wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk]
            )
            + f"?next={next_url}",
            "header_title": _("Relecture : %(title)s") % {"title": page.get_admin_display_title()},
        },
    )


STATE_DRAFT = "brouillon"
STATE_REVIEW = "relecture"
STATE_CHAMBER = "chambre"
STATE_APPROVED = "approuvee"
STATE_LIVE = "publiee"
STATE_CHANGES = "modifications"
STATE_CHOICES = [
    (STATE_DRAFT, _("brouillon")),
    (STATE_REVIEW, _("en relecture")),
    (STATE_CHAMBER, _("en attente de la Chambre")),
    (STATE_APPROVED, _("approuvée")),
    (STATE_LIVE, _("publiée")),
    (STATE_CHANGES, _("modifications demandées")),
]
STATE_LABELS = dict(STATE_CHOICES)


def joint_pages() -> QuerySet[Page]:
    """Every joint page, annotated with its editorial state and its last sign-off."""
    page_type = ContentType.objects.get_for_model(Page)
    current = WorkflowState.objects.filter(
        base_content_type=page_type,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
    ).order_by("-created_at")
    last_sign_off = ChamberSignOff.objects.filter(page=OuterRef("pk")).order_by("-created_at")
    chamber_type = ContentType.objects.get_for_model(ChamberApprovalTask)
    return (
        Page.objects.filter(pk__in=joint_page_ids())
        .annotate(
            workflow_status=Subquery(current.values("status")[:1]),
            workflow_task_type=Subquery(
                current.values("current_task_state__task__content_type")[:1]
            ),
            submitted_by=Subquery(current.values("requested_by")[:1]),
            signed_at=Subquery(last_sign_off.values("created_at")[:1]),
            signed_by=Subquery(last_sign_off.values("user")[:1]),
            sign_off_kind=Subquery(last_sign_off.values("kind")[:1]),
            latest_signed=Exists(
                ChamberSignOff.objects.filter(revision_id=OuterRef("latest_revision_id"))
            ),
        )
        .annotate(
            editorial_state=Case(
                When(workflow_status=WorkflowState.STATUS_NEEDS_CHANGES, then=Value(STATE_CHANGES)),
                When(
                    workflow_status=WorkflowState.STATUS_IN_PROGRESS,
                    workflow_task_type=chamber_type.pk,
                    then=Value(STATE_CHAMBER),
                ),
                When(workflow_status=WorkflowState.STATUS_IN_PROGRESS, then=Value(STATE_REVIEW)),
                When(live=True, has_unpublished_changes=False, then=Value(STATE_LIVE)),
                When(latest_signed=True, then=Value(STATE_APPROVED)),
                default=Value(STATE_DRAFT),
                output_field=CharField(),
            )
        )
        .select_related("content_type")
        .order_by("-latest_revision_created_at", "-pk")
    )


class JointContentFilterSet(WagtailFilterSet):
    editorial_state = django_filters.ChoiceFilter(label=_("État"), choices=STATE_CHOICES)
    signed_after = django_filters.DateFilter(
        label=_("Validée depuis le"),
        field_name="signed_at",
        lookup_expr="date__gte",
        widget=AdminDateInput,
    )
    signed_before = django_filters.DateFilter(
        label=_("Validée jusqu'au"),
        field_name="signed_at",
        lookup_expr="date__lte",
        widget=AdminDateInput,
    )
    title = django_filters.CharFilter(label=_("Titre"), lookup_expr="icontains")

    class Meta:
        model = Page
        fields: list[str] = []


def can_see_report(user: Any) -> bool:
    return user.is_superuser or user.groups.filter(name__in=[COMMUNICATION, CHAMBER]).exists()


class JointContentReportView(ReportView):
    """Each joint page, its state, who validated it and when; filterable, CSV/XLSX export."""

    page_title = _("Contenus conjoints")
    header_icon = "group"
    template_name = "wagtailadmin/reports/base_report.html"
    results_template_name = "editorial/reports/joint_content_results.html"
    index_url_name = "editorial:joint_content"
    index_results_url_name = "editorial:joint_content_results"
    filterset_class = JointContentFilterSet
    model = Page
    export_filename = "contenus-conjoints"
    list_export = [
        "title",
        "partner",
        "state_label",
        "submitted_by_name",
        "signed_by_name",
        "sign_off_label",
        "signed_at",
        "public_url",
    ]
    export_headings = {
        "title": _("Titre"),
        "partner": _("Partenaire"),
        "state_label": _("État"),
        "submitted_by_name": _("Soumis par"),
        "signed_by_name": _("Validé par"),
        "sign_off_label": _("Nature du visa"),
        "signed_at": _("Validé le"),
        "public_url": _("Adresse publique"),
    }

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_see_report(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Page]:
        return joint_pages()

    def decorate_paginated_queryset(self, object_list: Any) -> Any:
        from django.contrib.auth import get_user_model

        pages = list(object_list)
        user_ids = {p.signed_by for p in pages} | {p.submitted_by for p in pages}
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids - {None})}
        partner_ids = {}
        for page in pages:
            draft = page.get_latest_revision_as_object()
            partner_ids[page.pk] = draft.joint_partner_id or getattr(
                page.specific_deferred, "joint_partner_id", None
            )
        partners = Page.objects.in_bulk({pid for pid in partner_ids.values() if pid})
        chamber = is_chamber_approver(self.request.user)
        for page in pages:
            partner = partners.get(partner_ids[page.pk])
            page.partner = partner.title if partner else ""
            page.state_label = STATE_LABELS[page.editorial_state]
            page.submitted_by_name = user_name(users.get(page.submitted_by))
            page.signed_by_name = user_name(users.get(page.signed_by))
            page.sign_off_label = (
                ChamberSignOff.Kind(page.sign_off_kind).label if page.sign_off_kind else ""
            )
            page.public_url = page.full_url if page.live else ""
            page.can_edit = not chamber and page.permissions_for_user(self.request.user).can_edit()
            page.review_task_state = _awaiting(page, self.request.user)
        return pages


def _awaiting(page: Page, user: Any) -> TaskState | None:
    """The task state on this page that this user may act on now, if any."""
    workflow_state = page.current_workflow_state
    if workflow_state is None or workflow_state.status != WorkflowState.STATUS_IN_PROGRESS:
        return None
    task_state = workflow_state.current_task_state
    if task_state and task_state.task.specific.get_actions(page, user):
        return task_state
    return None


class AwaitingChamberPanel(Component):
    """First on a chamber approver's dashboard: the joint content that awaits them."""

    name = "editorial_awaiting_chamber"
    template_name = "editorial/panels/awaiting_chamber.html"
    order = 1

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        items = []
        for task_state in waiting_for_chamber():
            page = task_state.revision.as_object()
            if not task_state.task.specific.get_actions(page, request.user):
                continue
            items.append(
                {
                    "title": page.get_admin_display_title(),
                    "submitter": user_name(task_state.workflow_state.requested_by),
                    "started_at": task_state.started_at,
                    "review_url": reverse("editorial:review", args=[task_state.pk]),
                    "preview_url": reverse(
                        "wagtailadmin_pages:workflow_preview",
                        args=[page.pk, task_state.task_id],
                    ),
                }
            )
        return {
            "items": items,
            "report_url": reverse("editorial:joint_content"),
            "for_chamber": True,
            "panel_id": "editorial-awaiting-chamber",
        }
