"""A reviewer's decision, whichever door they took, ends the same way.

A reviewer approves or asks for changes from the editor's footer (with or without the comment
dialog), from the dashboard's task list, from the review page the notification email links to,
or from the chamber's own panel. The editor goes through ``EditView.perform_workflow_action``,
the others through Wagtail's workflow action view; both are wrapped here so that every door
gives the same result: the person lands on their dashboard (the chamber may not open the
editor, so Wagtail's default landing there was a refusal for it) with a French message that says
what happened to the page — approved and live, gone on to the chamber, sent back to its
author, or, when the reviewer changed the content first, waiting for another reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages as django_messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from wagtail.admin import messages
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import Page, TaskState, WorkflowState

from .models import AbstractFourEyesTask

DECISION_ACTIONS = ("approve", "reject")


@dataclass(frozen=True)
class PendingDecision:
    """What was under review when a reviewer clicked: to tell afterwards what changed."""

    task_state_id: int
    latest_revision_id: int | None
    action: str


def pending_decision(page: Page, action: str) -> PendingDecision | None:
    task_state = page.current_workflow_task_state
    if task_state is None or action not in DECISION_ACTIONS:
        return None
    return PendingDecision(task_state.pk, page.latest_revision_id, action)


def outcome_message(decision: PendingDecision, user: Any) -> str | None:
    """The French sentence that says what the decision did, or None if it did nothing."""
    task_state = TaskState.objects.select_related("workflow_state").get(pk=decision.task_state_id)
    if task_state.status == TaskState.STATUS_IN_PROGRESS:
        return None
    page = Page.objects.get(pk=int(task_state.workflow_state.object_id)).specific
    title = page.get_admin_display_title()
    if decision.action == "reject":
        return _(
            "Vous avez demandé des modifications sur « %(title)s » : son auteur ou son autrice "
            "en est averti par courriel et sur son tableau de bord."
        ) % {"title": title}
    latest = page.get_latest_revision()
    edited = latest is not None and latest.pk != decision.latest_revision_id
    if edited and latest.user_id == user.pk:
        return _(
            "Vos modifications de « %(title)s » sont enregistrées dans une nouvelle version. "
            "Votre approbation ne porte pas sur elles : un autre membre de l'équipe doit relire "
            "cette version avant qu'elle poursuive son circuit."
        ) % {"title": title}
    workflow_state = WorkflowState.objects.get(pk=task_state.workflow_state_id)
    if workflow_state.status == WorkflowState.STATUS_IN_PROGRESS:
        step = workflow_state.current_task_state.task.name
        return _("Vous avez approuvé « %(title)s ». Le contenu passe à l'étape « %(step)s ».") % {
            "title": title,
            "step": step,
        }
    if page.live and page.live_revision_id == task_state.revision_id:
        return _("Vous avez approuvé « %(title)s » : le contenu est en ligne.") % {"title": title}
    return _("Vous avez approuvé « %(title)s ».") % {"title": title}


def landing_url(request: HttpRequest) -> str:
    """Where a reviewer goes after deciding: the page they came from, else their dashboard."""
    return get_valid_next_url_from_request(request) or reverse("wagtailadmin_home")


def _replace_wagtail_messages(request: HttpRequest, text: str) -> None:
    """Drop the editor's "page updated" message, which is wrong after a decision."""
    storage = django_messages.get_messages(request)
    # Django offers no public way to withdraw a queued message.
    storage._queued_messages = []  # type: ignore[union-attr]  # private: not in django-stubs
    messages.success(request, text)


class ReviewActionView(WorkflowActionView):
    """Wagtail's workflow action view (dashboard, dialog, review page), landing on the
    dashboard with the outcome; routed in place of Wagtail's own in ``config/urls.py``."""

    def get_redirect_url(self) -> str:
        return landing_url(self.request)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        decision = (
            PendingDecision(self.task_state.pk, self.object.latest_revision_id, self.action_name)
            if self.action_name in DECISION_ACTIONS
            else None
        )
        response = super().post(request, *args, **kwargs)
        text = decision and outcome_message(decision, request.user)
        if text:
            messages.success(request, text)
        return response


# --- The editor's footer: ``before_edit_page`` and ``after_edit_page`` hooks --------------

REQUEST_ATTR = "_editorial_decision"


def before_edit(request: HttpRequest, page: Page) -> None:
    """Remember what is under review when a reviewer acts from the editor; warn them first."""
    task = page.current_workflow_task
    if task is None or not isinstance(task.specific, AbstractFourEyesTask):
        return
    if request.method == "POST":
        if request.POST.get("action-workflow-action"):
            action = request.POST.get("workflow-action-name", "")
            setattr(request, REQUEST_ATTR, pending_decision(page, action))
        return
    if task.specific.get_actions(page, request.user):
        messages.warning(
            request,
            _(
                "Vous relisez cette page. Pour l'approuver ou demander des modifications, "
                "utilisez le menu en bas de l'éditeur sans rien changer. Si vous modifiez son "
                "contenu, vos modifications deviendront une nouvelle version dont vous serez "
                "l'auteur : votre approbation ne portera pas sur elles et un autre membre de "
                "l'équipe devra les relire."
            ),
        )


def after_edit(request: HttpRequest, page: Page) -> HttpResponse | None:
    decision = getattr(request, REQUEST_ATTR, None)
    if decision is None:
        return None
    text = outcome_message(decision, request.user)
    if text is None:
        return None
    _replace_wagtail_messages(request, text)
    return redirect(landing_url(request))
