"""Workflow signals → French notifications, queued once the action's transaction commits.

Wagtail's own moderation emails (English, to every superuser) are disconnected: these
replace them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from wagtail.admin import signal_handlers as admin_signal_handlers
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_rejected, task_submitted, workflow_approved, workflow_rejected
from wagtail.signals import workflow_submitted as wagtail_workflow_submitted

from ops.queueing import queue_after_commit

from . import tasks
from .models import AbstractFourEyesTask

logger = logging.getLogger(__name__)


def _is_editorial(task_state: TaskState) -> bool:
    return isinstance(task_state.task.specific, AbstractFourEyesTask)


def on_task_submitted(sender: type, instance: TaskState, **kwargs: Any) -> None:
    if _is_editorial(instance):
        queue_after_commit(tasks.notify_reviewers, instance.pk)


def on_task_rejected(sender: type, instance: TaskState, **kwargs: Any) -> None:
    if _is_editorial(instance):
        queue_after_commit(tasks.notify_author, instance.pk, tasks.CHANGES_REQUESTED)


def on_workflow_approved(sender: type, instance: WorkflowState, **kwargs: Any) -> None:
    if getattr(instance, "_editorial_rerouted", False):
        # Not approved for publication: sent on to the chamber, whose reviewers are told.
        return
    if instance.current_task_state_id and _is_editorial(instance.current_task_state):
        queue_after_commit(tasks.notify_author, instance.current_task_state_id, tasks.APPROVED)


WAGTAIL_NOTIFIERS: list[tuple[Any, Callable[..., Any], type, str]] = [
    (
        task_submitted,
        admin_signal_handlers.task_submission_email_notifier,
        TaskState,
        "group_approval_task_submitted_email_notification",
    ),
    (
        wagtail_workflow_submitted,
        admin_signal_handlers.workflow_submission_email_notifier,
        WorkflowState,
        "workflow_state_submitted_email_notification",
    ),
    (
        workflow_rejected,
        admin_signal_handlers.workflow_rejection_email_notifier,
        WorkflowState,
        "workflow_state_rejected_email_notification",
    ),
    (
        workflow_approved,
        admin_signal_handlers.workflow_approval_email_notifier,
        WorkflowState,
        "workflow_state_approved_email_notification",
    ),
]


def connect() -> None:
    for signal, receiver, sender, uid in WAGTAIL_NOTIFIERS:
        signal.disconnect(receiver, sender=sender, dispatch_uid=uid)
    task_submitted.connect(on_task_submitted, dispatch_uid="editorial_task_submitted")
    task_rejected.connect(on_task_rejected, dispatch_uid="editorial_task_rejected")
    workflow_approved.connect(
        on_workflow_approved, sender=WorkflowState, dispatch_uid="editorial_workflow_approved"
    )
