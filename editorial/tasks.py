"""Editorial notifications: Celery tasks that write one outbox email per recipient.

The fan-out tasks look up who should hear about a task state and queue one email per person in
the outbox (``mailing.outbox``), which sends and retries each on its own: an address that fails
never holds up the others, nor the workflow action, which committed before anything was queued.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import shared_task

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wagtail.models import TaskState

from mailing.addresses import address_hash
from mailing.models import OutboxEmail
from mailing.outbox import queue_email

from .models import AbstractFourEyesTask, ChamberApprovalTask
from .roles import CHAMBER

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
        queue_notification(kind, user_id, task_state.pk)


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
        queue_notification(kind, user_id, task_state.pk)


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
        queue_notification(DIGEST, user_id)


def _digest_delay() -> timedelta:
    return timedelta(hours=settings.EDITORIAL_DIGEST_AFTER_HOURS)


def queue_notification(
    kind: str, user_id: int, task_state_id: int | None = None
) -> OutboxEmail | None:
    """Render one notification to one person into the outbox; None if there is nothing to say."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or kind not in KINDS:
        return None
    context = _context(kind, task_state_id)
    if context is None:
        return None
    context["recipient"] = user
    subject = " ".join(render_to_string(f"editorial/emails/{kind}_subject.txt", context).split())
    return queue_email(
        OutboxEmail(
            kind=f"editorial_{kind}",
            address_hash=address_hash(user.email),
            to=user.email,
            subject=subject[:255],
            body_text=render_to_string(f"editorial/emails/{kind}.txt", context),
        )
    )


@shared_task(name="editorial.tasks.send_editorial_email")
def send_editorial_email(kind: str, user_id: int, task_state_id: int | None) -> None:
    """Kept for messages queued before notifications went through the outbox: queues one."""
    queue_notification(kind, user_id, task_state_id)


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
