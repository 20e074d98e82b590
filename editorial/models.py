"""Workflow tasks for the editorial chain, and the record of the chamber's sign-offs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.models import AbstractGroupApprovalTask, Page, Revision, TaskState


class AbstractFourEyesTask(AbstractGroupApprovalTask):
    """Approval by a member of the task's groups other than the author of the revision.

    The author's actions are filtered out of ``get_actions`` (so the buttons are absent) and
    ``on_action`` refuses them again, so a crafted POST to the workflow action URL fails too.
    """

    class Meta:
        abstract = True

    @staticmethod
    def is_author(task_state: TaskState | None, user: User | AnonymousUser) -> bool:
        return task_state is not None and task_state.revision.user_id == user.pk

    def get_actions(self, obj: Any, user: User | AnonymousUser) -> list[tuple[str, Any, bool]]:
        if self.is_author(getattr(obj, "current_workflow_task_state", None), user):
            return []
        if not super().get_actions(obj, user):
            return []
        return [
            ("reject", _("Demander des modifications"), True),
            ("approve", _("Approuver"), False),
            ("approve", _("Approuver avec un commentaire"), True),
        ]

    def get_task_states_user_can_moderate(self, user: User, **kwargs: Any) -> Any:
        return (
            super().get_task_states_user_can_moderate(user, **kwargs).exclude(revision__user=user)
        )

    def check_can_act(self, task_state: TaskState, user: User) -> None:
        """Refuse anyone outside the groups, and the revision's author."""
        if not (user.is_superuser or self._user_in_groups(user)):
            raise PermissionDenied(_("Vous ne faites pas partie des relecteurs de cette étape."))
        if self.is_author(task_state, user):
            raise PermissionDenied(_("Vous ne pouvez pas approuver votre propre version."))

    @transaction.atomic
    def on_action(self, task_state: TaskState, user: User, action_name: str, **kwargs: Any) -> Any:
        if action_name in ("approve", "reject"):
            self.check_can_act(task_state, user)
        return super().on_action(task_state, user, action_name, **kwargs)


class FourEyesReviewTask(AbstractFourEyesTask):
    """The communications team's review: one approval by someone other than the author."""

    class Meta:
        verbose_name = _("relecture à quatre yeux")
        verbose_name_plural = _("relectures à quatre yeux")

    @classmethod
    def get_description(cls) -> str:
        return str(
            _(
                "Un membre des groupes choisis, autre que l'auteur de la version, "
                "approuve ou demande des modifications."
            )
        )


class ChamberApprovalTask(AbstractFourEyesTask):
    """The chamber's validation of joint content.

    Its members review from the dashboard, the preview and the comparison views: unlike
    Wagtail's group task, this one never opens the editor to them, nor lets them lock the
    page. An approval records a ``ChamberSignOff`` on the exact revision approved, which is
    what the publication guard (``editorial.enforcement``) asks for.
    """

    class Meta:
        verbose_name = _("validation par la Chambre")
        verbose_name_plural = _("validations par la Chambre")

    @classmethod
    def get_description(cls) -> str:
        return str(
            _(
                "Un membre de la Chambre de métiers valide le contenu conjoint ; "
                "sa validation porte sur la version exacte qu'il a relue."
            )
        )

    def user_can_access_editor(self, obj: Any, user: User) -> bool:
        return False

    def user_can_lock(self, obj: Any, user: User) -> bool:
        return False

    @transaction.atomic
    def on_action(self, task_state: TaskState, user: User, action_name: str, **kwargs: Any) -> Any:
        if action_name == "approve":
            self.check_can_act(task_state, user)
            if task_state.status != TaskState.STATUS_IN_PROGRESS:
                raise PermissionDenied
            ChamberSignOff.objects.create(
                page_id=int(task_state.workflow_state.object_id),
                revision=task_state.revision,
                user=user,
                kind=(
                    ChamberSignOff.Kind.APPROVAL
                    if self._user_in_groups(user)
                    else ChamberSignOff.Kind.BYPASS
                ),
                comment=kwargs.get("comment", ""),
                reason=gettext("validation de l'étape Chambre par un administrateur"),
            )
        return super().on_action(task_state, user, action_name, **kwargs)


class ChamberSignOffQuerySet(models.QuerySet["ChamberSignOff"]):
    def clearing(self, revision: Revision) -> ChamberSignOffQuerySet:
        """Sign-offs that clear this exact revision of this exact page for publication.

        A sign-off older than the revision does not count: Wagtail can overwrite a revision in
        place (autosave), which bumps its ``created_at``.
        """
        return self.filter(
            revision=revision,
            page_id=int(revision.object_id),
            created_at__gte=revision.created_at,
        )


class ChamberSignOff(models.Model):
    """The chamber's approval of one revision of a joint page, or an administrator's bypass.

    Nothing else clears joint content for publication: see ``editorial.enforcement``.
    """

    class Kind(models.TextChoices):
        APPROVAL = "approval", _("validation par la Chambre")
        BYPASS = "bypass", _("passage outre par un administrateur")

    page = models.ForeignKey(
        Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="+"
    )
    revision = models.ForeignKey(
        Revision,
        verbose_name=_("version"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("nature"), max_length=20, choices=Kind.choices)
    comment = models.TextField(_("commentaire"), blank=True)
    reason = models.CharField(_("circonstance"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)

    objects = ChamberSignOffQuerySet.as_manager()

    class Meta:
        verbose_name = _("visa de la Chambre")
        verbose_name_plural = _("visas de la Chambre")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.page_id} ({self.created_at:%d/%m/%Y %H:%M})"
