"""The publication guard: joint content goes live only with the chamber's sign-off.

It sits on ``pre_save`` of pages and revisions, the two writes every way of publishing ends in,
so no admin door, command or task can put unsigned joint content live; an administrator's or an
operator's bypass is recorded. The paths it covers and why: docs/editorial-chain.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy as _

from wagtail.log_actions import log
from wagtail.models import Page, Revision, TaskState

from .models import ChamberSignOff
from .routing import content_is_joint, live_side_is_joint

# Outside any request the acting user is this marker; in a request, ``request.user``.
OUTSIDE_REQUEST = object()
_acting_user: ContextVar[Any] = ContextVar("editorial_acting_user", default=OUTSIDE_REQUEST)
_bypass_reason: ContextVar[str | None] = ContextVar("editorial_bypass_reason", default=None)

BYPASS_LOG_ACTION = "editorial.chamber_bypass"


class ChamberApprovalRequired(PermissionDenied):
    """Joint content was about to go live without the chamber's sign-off."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Ce contenu conjoint doit être validé par la Chambre de métiers avant d'être "
                "publié : soumettez-le à validation."
            )
        )


@contextmanager
def acting_as(user: AbstractBaseUser | AnonymousUser | None) -> Iterator[None]:
    """Make ``user`` the one the guard sees as acting (the request's user, in the admin)."""
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


@contextmanager
def chamber_bypass(reason: str) -> Iterator[None]:
    """Let trusted code (a data load run by an operator) publish joint content, on record."""
    token = _bypass_reason.set(reason)
    try:
        yield
    finally:
        _bypass_reason.reset(token)


def is_cleared(revision: Revision | None, page_id: int | None) -> bool:
    """Whether this exact revision of this exact page holds a sign-off."""
    if revision is None or page_id is None or int(revision.object_id) != page_id:
        return False
    return ChamberSignOff.objects.clearing(revision).exists()


def _bypass_allowed() -> tuple[bool, AbstractBaseUser | None, str]:
    user = _acting_user.get()
    reason = _bypass_reason.get()
    if user is not None and user is not OUTSIDE_REQUEST and getattr(user, "is_superuser", False):
        return True, user, reason or str(_("publication par un administrateur"))
    if reason:
        return True, None, reason
    return False, None, ""


def _db_state(page: Page) -> dict[str, Any] | None:
    if page.pk is None:
        return None
    return Page.objects.filter(pk=page.pk).values("live", "live_revision_id").first()


def guard_page_save(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Refuse to save a page live with joint content that the chamber has not signed off."""
    if raw or not isinstance(instance, Page) or not instance.live:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"live", "live_revision", "joint_partner"} & set(
        update_fields
    ):
        return
    old = _db_state(instance)
    going_live = (
        old is None or not old["live"] or old["live_revision_id"] != instance.live_revision_id
    )
    marker_changed = (
        old is not None
        and old["live"]
        and hasattr(instance, "joint_partner_id")
        and _stored_marker(instance) != instance.joint_partner_id
    )
    if not (going_live or marker_changed):
        return
    if not (content_is_joint(instance) or live_side_is_joint(instance.pk)):
        return
    if (
        going_live
        and not marker_changed
        and is_cleared(_revision(instance.live_revision_id), instance.pk)
    ):
        return
    allowed, user, reason = _bypass_allowed()
    if not allowed:
        raise ChamberApprovalRequired
    # Recorded once the row exists (a copy has no id yet): see record_page_bypass.
    instance._editorial_bypass = (user, reason)


def record_page_bypass(sender: type, instance: Any, **kwargs: Any) -> None:
    pending = instance.__dict__.pop("_editorial_bypass", None)
    if pending is None:
        return
    user, reason = pending
    revision = _revision(instance.live_revision_id)
    if revision is not None and int(revision.object_id) != instance.pk:
        revision = None
    _record_bypass(instance, revision, user, reason)


def guard_revision_save(sender: type, instance: Revision, raw: bool = False, **kwargs: Any) -> None:
    """Refuse to schedule an uncleared joint revision, or to rewrite a revision under review."""
    if raw or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is None:
        # Wagtail overwrites the latest revision in place when autosaving; a revision that a
        # reviewer has seen (or is looking at) must stay as they saw it.
        reviewed = TaskState.objects.filter(
            revision_id=instance.pk,
            status__in=[TaskState.STATUS_IN_PROGRESS, TaskState.STATUS_APPROVED],
        ).exists()
        if reviewed or ChamberSignOff.objects.filter(revision_id=instance.pk).exists():
            raise PermissionDenied(
                _("Cette version a été soumise à relecture : enregistrez une nouvelle version.")
            )
        return
    if "approved_go_live_at" not in update_fields or instance.approved_go_live_at is None:
        return
    page = _page_of(instance)
    if page is None:
        return
    if not (content_is_joint(instance) or live_side_is_joint(page.pk)):
        return
    if is_cleared(instance, page.pk):
        return
    allowed, user, reason = _bypass_allowed()
    if not allowed:
        raise ChamberApprovalRequired
    _record_bypass(page, instance, user, reason)


def _record_bypass(page: Page, revision: Revision | None, user: Any, reason: str) -> None:
    ChamberSignOff.objects.create(
        page_id=page.pk,
        revision=revision,
        user=user,
        kind=ChamberSignOff.Kind.BYPASS,
        reason=reason[:255],
    )
    log(
        instance=page.specific_deferred if type(page) is Page else page,
        action=BYPASS_LOG_ACTION,
        user=user,
        revision=revision,
        data={"reason": reason},
    )


def _stored_marker(page: Page) -> int | None:
    return (
        type(page)
        ._base_manager.filter(pk=page.pk)
        .values_list("joint_partner_id", flat=True)
        .first()
    )


def _revision(revision_id: int | None) -> Revision | None:
    if revision_id is None:
        return None
    return Revision.objects.filter(pk=revision_id).first()


def _page_of(revision: Revision) -> Page | None:
    if revision.base_content_type_id != ContentType.objects.get_for_model(Page).pk:
        return None
    return Page.objects.filter(pk=int(revision.object_id)).first()


def connect() -> None:
    pre_save.connect(guard_page_save, dispatch_uid="editorial_guard_page_save")
    post_save.connect(record_page_bypass, dispatch_uid="editorial_record_page_bypass")
    pre_save.connect(
        guard_revision_save, sender=Revision, dispatch_uid="editorial_guard_revision_save"
    )
