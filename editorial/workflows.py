"""The action run when a workflow is approved (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Wagtail imports this module while ``wagtail.models`` is still loading, so it imports nothing
from Wagtail's models at module level.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wagtail.models import WorkflowState

logger = logging.getLogger(__name__)


def publish_approved_revision(workflow_state: WorkflowState, user: Any = None) -> None:
    """Publish the revision the last task approved — not the page's latest revision.

    Wagtail's default publishes the latest revision and checks the final approver's publish
    permission; here the approvers hold no publish permission (the workflow is the
    permission), and a draft saved after the approval must not ride along with it.

    If the approved revision turns out to need the chamber while this workflow had no chamber
    step (the marker was added during the review), it is sent on to "Contenu conjoint" instead.
    """
    from .enforcement import ChamberApprovalRequired, is_cleared
    from .routing import content_is_joint, joint_workflow, live_side_is_joint

    revision = workflow_state.current_task_state.revision
    page = revision.content_object
    needs_chamber = content_is_joint(revision) or live_side_is_joint(page.pk)
    if needs_chamber and not is_cleared(revision, page.pk):
        workflow = joint_workflow()
        if workflow is None or workflow.pk == workflow_state.workflow_id:
            raise ChamberApprovalRequired
        logger.info("Page %s became joint during review: sent on to the chamber", page.pk)
        workflow_state._editorial_rerouted = True
        workflow.start(page, workflow_state.requested_by)
        return
    revision.publish(user=user, skip_permission_checks=True)
