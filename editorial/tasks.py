"""Editorial notifications, sent by Celery: one email per recipient, retried on failure.

The fan-out tasks look up who should hear about a task state and queue one
``send_editorial_email`` per person, so that an address that fails is retried on its own and
never holds up the others — nor the workflow action, which committed before anything was queued.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

from celery import shared_task

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wagtail.models import TaskState

from .models import AbstractFourEyesTask, ChamberApprovalTask
from .roles import CHAMBER

logger = logging.getLogger(__name__)

AWAITING_REVIEW = "awaiting_review"
AWAITING_CHAMBER = "awaiting_chamber"
APPROVED = "approved"
CHANGES_REQUESTED = "changes_requested"
DIGEST = "digest"
KINDS = (AWAITING_REVIEW, AWAITING_CHAMBER, APPROVED, CHANGES_REQUESTED, DIGEST)


def admin_url(name: str, *args: Any) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(name, args=args)


def _active_with_email() -> Any:
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def _queue_email(kind: str, user_id: int, task_state_id: int | None = None) -> None:
    try:
        send_editorial_email.delay(kind, user_id, task_state_id)
    except Exception:
        # The broker (or, with eager tasks, the send itself after its retries) failed for this
        # person: say so, and carry on with the others.
        logger.exception("Notification %s to user %s could not be queued", kind, user_id)


@shared_task(name="editorial.tasks.notify_reviewers")
def notify_reviewers(task_state_id: int) -> None:
    """Tell the reviewers of a task that content awaits them (never its author)."""
    task_state = TaskState.objects.filter(pk=task_state_id).select_related("revision").first()
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return
    task = task_state.task.specific
    if not isinstance(task, AbstractFourEyesTask):
        return
    kind = AWAITING_CHAMBER if isinstance(task, ChamberApprovalTask) else AWAITING_REVIEW
    recipients = (
        _active_with_email()
        .filter(groups__in=task.groups.all())
        .exclude(pk=task_state.revision.user_id or 0)
        .distinct()
        .values_list("pk", flat=True)
    )
    for user_id in recipients:
        _queue_email(kind, user_id, task_state.pk)


@shared_task(name="editorial.tasks.notify_author")
def notify_author(task_state_id: int, kind: str) -> None:
    """Tell the author (and the submitter, if someone else) the reviewer's decision."""
    task_state = (
        TaskState.objects.filter(pk=task_state_id)
        .select_related("revision", "workflow_state")
        .first()
    )
    if task_state is None:
        return
    authors = {task_state.revision.user_id, task_state.workflow_state.requested_by_id} - {None}
    for user_id in _active_with_email().filter(pk__in=authors).values_list("pk", flat=True):
        _queue_email(kind, user_id, task_state.pk)


def waiting_for_chamber(older_than: timedelta | None = None) -> Any:
    """Task states in progress on a chamber step, oldest first."""
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        task__in=ChamberApprovalTask.objects.values("pk"),
    ).select_related("revision", "workflow_state", "workflow_state__requested_by")
    if older_than is not None:
        states = states.filter(started_at__lte=timezone.now() - older_than)
    return states.order_by("started_at")


@shared_task(name="editorial.tasks.send_chamber_digest")
def send_chamber_digest() -> None:
    """Each weekday morning, remind each chamber approver of what has waited over a day."""
    if not waiting_for_chamber(_digest_delay()).exists():
        return
    approvers = (
        _active_with_email()
        .filter(groups__name=CHAMBER, is_superuser=False)
        .values_list("pk", flat=True)
    )
    for user_id in approvers:
        _queue_email(DIGEST, user_id)


def _digest_delay() -> timedelta:
    return timedelta(hours=settings.EDITORIAL_DIGEST_AFTER_HOURS)


@shared_task(
    bind=True,
    name="editorial.tasks.send_editorial_email",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=6,
)
def send_editorial_email(self: Any, kind: str, user_id: int, task_state_id: int | None) -> None:
    """Render and send one notification to one person; a failure is logged, then retried."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or kind not in KINDS:
        return
    context = _context(kind, task_state_id)
    if context is None:
        return
    context["recipient"] = user
    subject = " ".join(render_to_string(f"editorial/emails/{kind}_subject.txt", context).split())
    body = render_to_string(f"editorial/emails/{kind}.txt", context)
    try:
        EmailMessage(subject, body, to=[user.email]).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning(
            "Editorial email %s to %s failed (attempt %s): %s",
            kind,
            user.email,
            self.request.retries + 1,
            error,
        )
        raise


def _context(kind: str, task_state_id: int | None) -> dict[str, Any] | None:
    if kind == DIGEST:
        states = list(waiting_for_chamber(_digest_delay()))
        if not states:
            return None
        return {"items": [_item(state) for state in states]}
    task_state = (
        TaskState.objects.filter(pk=task_state_id)
        .select_related("revision", "workflow_state", "finished_by")
        .first()
    )
    if task_state is None:
        return None
    if kind in (AWAITING_REVIEW, AWAITING_CHAMBER) and (
        task_state.status != TaskState.STATUS_IN_PROGRESS
    ):
        # Already decided before the email went out: nothing awaits anyone.
        return None
    return {"item": _item(task_state), "task_state": task_state}


def _item(task_state: TaskState) -> dict[str, Any]:
    page = task_state.revision.as_object()
    workflow_state = task_state.workflow_state
    previous = (
        TaskState.objects.filter(
            workflow_state=workflow_state,
            revision=task_state.revision,
            status=TaskState.STATUS_APPROVED,
        )
        .exclude(pk=task_state.pk)
        .order_by("-finished_at")
        .first()
    )
    return {
        "title": page.title,
        "submitter": workflow_state.requested_by,
        "submitter_comment": previous.comment if previous else "",
        "started_at": task_state.started_at,
        "preview_url": admin_url(
            "wagtailadmin_pages:workflow_preview", page.pk, task_state.task_id
        ),
        "review_url": admin_url("editorial:review", task_state.pk),
        "edit_url": admin_url("wagtailadmin_pages:edit", page.pk),
        "approver": task_state.finished_by,
        "comment": task_state.comment,
    }
