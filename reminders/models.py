"""Contest-vote reminders: who follows which contest, and the ledger of what was sent.

``ReminderDelivery`` is the exactly-once guarantee: one row per person, contest and slot,
unique in the database, inserted in the same transaction as the outbox email it sends.
``ReminderRun`` is a slot of one contest as the dispatcher handles it: handed out under a
lease, finished as sent, or recorded as skipped with the reason.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mailing.models import CLAIM_DURATION, OutboxEmail
from subscriptions.models import Subscriber

#: A worker that dies while sending a slot frees it when its lease runs out.
RUN_LEASE = CLAIM_DURATION / 2


def contest_field() -> models.ForeignKey:
    """The contest a row is about; it goes when the contest page is deleted."""
    return models.ForeignKey(
        "programs.ContestPage",
        verbose_name=_("concours"),
        on_delete=models.CASCADE,
        related_name="+",
    )


class ContestFollow(models.Model):
    """One person and one contest: followed ("Me rappeler de voter"), or opted out of."""

    contest = contest_field()
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("abonné·e"),
        on_delete=models.CASCADE,
        related_name="contest_follows",
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("suivi confirmé le"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("rappels refusés le"), null=True, blank=True)

    class Meta:
        db_table = "newsletters_contestfollow"  # moved from newsletters, table kept
        verbose_name = _("suivi d'un concours")
        verbose_name_plural = _("suivis de concours")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "subscriber"], name="newsletters_contest_follow_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber_id} → {self.contest_id}"


class ReminderRunQuerySet(models.QuerySet["ReminderRun"]):
    def claim(self, pk: int) -> bool:
        """Take an unfinished run for sending; only one caller wins while the lease lasts."""
        now = timezone.now()
        return bool(
            self.filter(pk=pk, status__in=ReminderRun.UNFINISHED)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(status=ReminderRun.Status.SENDING, claimed_until=now + RUN_LEASE)
        )

    def renew(self, pk: int) -> bool:
        """Extend a lease; False if the run was finished or skipped meanwhile."""
        return bool(
            self.filter(pk=pk, status=ReminderRun.Status.SENDING).update(
                claimed_until=timezone.now() + RUN_LEASE
            )
        )


class ReminderRun(models.Model):
    """One slot of one contest's plan, as sent (or skipped)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("à envoyer")
        SENDING = "sending", _("envoi en cours")
        SENT = "sent", _("envoyé")
        SKIPPED = "skipped", _("non envoyé")

    UNFINISHED = (Status.PENDING, Status.SENDING)

    class SkipReason(models.TextChoices):
        SUPERSEDED = "superseded", _("remplacé par un rappel plus récent déjà dû")
        CLOSED = "closed", _("vote clos")
        UNPUBLISHED = "unpublished", _("concours dépublié")
        REMOVED = "removed", _("retiré du plan")

    contest = contest_field()
    slot_key = models.CharField(_("rappel"), max_length=40)
    label = models.CharField(_("libellé"), max_length=120)
    due_at = models.DateTimeField(_("prévu le"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    skip_reason = models.CharField(
        _("motif"), max_length=12, choices=SkipReason.choices, blank=True
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    objects = ReminderRunQuerySet.as_manager()

    class Meta:
        db_table = "newsletters_reminderrun"
        ordering = ["due_at", "pk"]
        verbose_name = _("envoi de rappel")
        verbose_name_plural = _("envois de rappels")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "slot_key"], name="newsletters_reminder_run_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status not in self.UNFINISHED


class ReminderDelivery(models.Model):
    """The ledger: this person was (or is being) sent this slot of this contest. Once only."""

    contest = contest_field()
    slot_key = models.CharField(_("rappel"), max_length=40)
    address_hash = models.CharField(max_length=64)
    outbox = models.ForeignKey(
        OutboxEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        db_table = "newsletters_reminderdelivery"
        verbose_name = _("rappel envoyé")
        verbose_name_plural = _("rappels envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "slot_key", "address_hash"],
                name="newsletters_reminder_delivery_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot_key} → {self.address_hash[:12]}…"


__all__ = ["ContestFollow", "ReminderDelivery", "ReminderRun"]
