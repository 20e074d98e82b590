"""The communications team's dashboard: what awaits my review, my drafts, what sits at the
chamber.

Each panel runs a fixed number of queries, however many items it lists: everything a row
shows comes from ``select_related`` or from values computed once per task, never per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.urls import reverse

from wagtail.admin.ui.components import Component
from wagtail.admin.views.home import RecentEditsPanel, WorkflowObjectsToModeratePanel
from wagtail.models import Page, Task, TaskState, WorkflowState

from .roles import is_communication, user_name
from .tasks import waiting_for_chamber

# Rows shown per panel; the panel says how many more there are.
LIMIT = 20

# Wagtail's own panels that list the same items as ours, with an English-only task column
# (icons) or without the four-eyes framing: ours replace them.
REPLACED_PANELS = (WorkflowObjectsToModeratePanel, RecentEditsPanel)

# The chamber's own panel (``editorial.views.AwaitingChamberPanel``), which takes the place of
# the team's "En attente de la Chambre" for anyone who may act at the chamber's step.
CHAMBER_PANEL_NAME = "editorial_awaiting_chamber"


def _page_type() -> ContentType:
    return ContentType.objects.get_for_model(Page)


@dataclass
class _Pending:
    """Stands for the page in ``Task.get_actions``: the four-eyes check only reads the
    current task state, which we already hold, so no page is loaded per row."""

    current_workflow_task_state: TaskState


class ToReviewPanel(Component):
    """« À relire »: the task states I may act on now, my own revisions left out."""

    name = "editorial_to_review"
    template_name = "editorial/panels/to_review.html"
    order = 10

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        request = parent_context["request"]
        user = request.user
        # As ``TaskState.objects.reviewable_by``, keeping the specific tasks: each task says
        # which states its user may moderate (the four-eyes tasks leave out the author's).
        tasks = {task.pk: task for task in Task.objects.filter(active=True).specific()}
        states: QuerySet[TaskState] = TaskState.objects.none()
        for task in tasks.values():
            states = states | task.get_task_states_user_can_moderate(user=user)
        states = states.filter(workflow_state__base_content_type=_page_type())
        total = states.count()
        items = []
        for state in states.select_related(
            "revision", "workflow_state", "workflow_state__requested_by"
        ).order_by("-started_at", "-pk")[:LIMIT]:
            task = tasks.get(state.task_id)
            actions = task.get_actions(_Pending(state), user) if task else []
            if task is None or not actions:
                continue
            page_id = int(state.workflow_state.object_id)
            items.append(
                {
                    "title": state.revision.object_str,
                    "task_name": task.name,
                    "submitter": user_name(state.workflow_state.requested_by),
                    "started_at": state.started_at,
                    "review_url": reverse("editorial:review", args=[state.pk]),
                    "preview_url": reverse(
                        "wagtailadmin_pages:workflow_preview", args=[page_id, task.pk]
                    ),
                    "actions": [
                        {
                            "label": label,
                            "modal": modal,
                            "url": reverse(
                                "wagtailadmin_pages:workflow_action",
                                args=[page_id, action, state.pk],
                            ),
                        }
                        for action, label, modal in actions
                    ],
                }
            )
        return {
            "items": items,
            "more": max(total - LIMIT, 0),
            "panel_id": "editorial-team-awaiting-chamber",
        }


class MyDraftsPanel(Component):
    """« Mes brouillons »: my pages with unpublished changes that no workflow holds."""

    name = "editorial_my_drafts"
    template_name = "editorial/panels/my_drafts.html"
    order = 20

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        user = parent_context["request"].user
        in_workflow = WorkflowState.objects.active().filter(
            base_content_type=_page_type(),
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        pages = (
            Page.objects.filter(has_unpublished_changes=True)
            .filter(Q(owner=user) | Q(latest_revision__user=user))
            .exclude(Exists(in_workflow))
        )
        total = pages.count()
        items = [
            {
                "title": page.draft_title or page.title,
                "live": page.live,
                "edited_at": page.latest_revision_created_at,
                "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
            }
            for page in pages.only(
                "pk", "title", "draft_title", "live", "latest_revision_created_at"
            ).order_by("-latest_revision_created_at", "-pk")[:LIMIT]
        ]
        return {
            "items": items,
            "more": max(total - LIMIT, 0),
            "panel_id": "editorial-team-awaiting-chamber",
        }


class TeamAwaitingChamberPanel(Component):
    """« En attente de la Chambre », as the team sees it: every joint page at the chamber's
    step, whoever submitted it; to follow, not to act on (the chamber decides)."""

    name = "editorial_team_awaiting_chamber"
    template_name = "editorial/panels/awaiting_chamber.html"
    order = 30

    def get_context_data(self, parent_context: Any) -> dict[str, Any]:
        states = waiting_for_chamber().filter(workflow_state__base_content_type=_page_type())
        total = states.count()
        items = []
        for state in states[:LIMIT]:
            page_id = int(state.workflow_state.object_id)
            items.append(
                {
                    "title": state.revision.object_str,
                    "submitter": user_name(state.workflow_state.requested_by),
                    "started_at": state.started_at,
                    # The revision the chamber is reading: the workflow preview is only open
                    # to those who may act on the task.
                    "preview_url": reverse(
                        "wagtailadmin_pages:revisions_view", args=[page_id, state.revision_id]
                    ),
                }
            )
        return {
            "items": items,
            "more": max(total - LIMIT, 0),
            "panel_id": "editorial-team-awaiting-chamber",
        }


def add_communication_panels(user: Any, panels: list[Any]) -> None:
    """Put the team's three panels first, in place of Wagtail's panels listing the same items.

    For the communications team and administrators; anyone else's dashboard is left alone.
    Someone who already has the chamber's own panel (which has the same title and lets them
    act) does not get the team's copy of it.
    """
    if not (user.is_superuser or is_communication(user)):
        return
    panels[:] = [panel for panel in panels if not isinstance(panel, REPLACED_PANELS)]
    panels += [ToReviewPanel(), MyDraftsPanel()]
    if not any(getattr(panel, "name", "") == CHAMBER_PANEL_NAME for panel in panels):
        panels.append(TeamAwaitingChamberPanel())
