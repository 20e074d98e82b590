"""Reminders: who follows which contest, the runs of each slot and the ledgers of what was sent.

Two kinds of reminder share one engine (``reminders.engine``): contest-vote reminders and the
reminders of the events people registered for. For each kind, a ledger (``ReminderDelivery``,
``EventReminderDelivery``) is the exactly-once guarantee: one row per person and slot, unique in
the database, inserted in the same transaction as the outbox email it sends. A run
(``ReminderRun``, ``EventReminderRun``) is one slot as the dispatcher handles it: handed out
under a lease, finished as sent, or recorded as skipped with the reason.
"""

from __future__ import annotations

from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mailing.models import OutboxEmail
from subscriptions.models import Subscriber


def run_lease() -> timedelta:
    """A worker that dies while sending a slot frees it when its lease runs out."""
    return timedelta(seconds=settings.REMINDERS_RUN_LEASE_SECONDS)


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


class RunStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    SENDING = "sending", _("envoi en cours")
    SENT = "sent", _("envoyé")
    SKIPPED = "skipped", _("non envoyé")


class RunQuerySet(models.QuerySet):
    """The lease of a run: what makes one worker at a time send a slot."""

    def claim(self, pk: int) -> bool:
        """Take an unfinished run for sending; only one caller wins while the lease lasts."""
        now = timezone.now()
        return bool(
            self.filter(pk=pk, status__in=UNFINISHED)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .update(status=RunStatus.SENDING, claimed_until=now + run_lease())
        )

    def renew(self, pk: int) -> bool:
        """Extend a lease; False if the run was finished or skipped meanwhile."""
        return bool(
            self.filter(pk=pk, status=RunStatus.SENDING).update(
                claimed_until=timezone.now() + run_lease()
            )
        )


UNFINISHED = (RunStatus.PENDING, RunStatus.SENDING)


class ReminderRunQuerySet(RunQuerySet):
    pass


class Run(models.Model):
    """One slot of a reminder plan as the engine sends it (or skips it): the shared fields.

    Each concrete run names what it is about (a contest, an event) and its skip reasons.
    """

    Status = RunStatus
    UNFINISHED: ClassVar[tuple[str, ...]] = UNFINISHED

    slot_key = models.CharField(_("rappel"), max_length=40)
    label = models.CharField(_("libellé"), max_length=120)
    due_at = models.DateTimeField(_("prévu le"))
    status = models.CharField(
        _("état"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING
    )
    #: Why a run ended as skipped; each kind of run overrides it with its reasons as choices.
    skip_reason = models.CharField(_("motif"), max_length=12, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status not in UNFINISHED


class ReminderRun(Run):
    """One slot of one contest's plan, as sent (or skipped)."""

    class SkipReason(models.TextChoices):
        SUPERSEDED = "superseded", _("remplacé par un rappel plus récent déjà dû")
        CLOSED = "closed", _("vote clos")
        UNPUBLISHED = "unpublished", _("concours dépublié")
        REMOVED = "removed", _("retiré du plan")

    contest = contest_field()
    skip_reason = models.CharField(
        _("motif"), max_length=12, choices=SkipReason.choices, blank=True
    )

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


class EventReminderRun(Run):
    """One reminder slot of an event people registered for ("veille", "matin")."""

    class SkipReason(models.TextChoices):
        SUPERSEDED = "superseded", _("remplacé par un rappel plus récent déjà dû")
        STARTED = "started", _("événement commencé")
        UNPUBLISHED = "unpublished", _("événement dépublié")
        REMOVED = "removed", _("retiré du plan")

    event = models.ForeignKey(
        "programs.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    skip_reason = models.CharField(
        _("motif"), max_length=12, choices=SkipReason.choices, blank=True
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("envoi de rappel d'événement")
        verbose_name_plural = _("envois de rappels d'événements")
        constraints = [
            models.UniqueConstraint(fields=["event", "slot_key"], name="reminders_event_run_once")
        ]


class EventReminderDelivery(models.Model):
    """The ledger: this registration was (or is being) sent this slot of its event. Once only.

    Keyed on the registration, not the address: erasing a registration erases its rows, and
    anonymising it leaves nothing personal here.
    """

    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("inscription"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    slot_key = models.CharField(_("rappel"), max_length=40)
    outbox = models.ForeignKey(
        OutboxEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rappel d'événement envoyé")
        verbose_name_plural = _("rappels d'événements envoyés")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "slot_key"], name="reminders_event_delivery_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.slot_key} → {self.registration_id}"


__all__ = [
    "ContestFollow",
    "EventReminderDelivery",
    "EventReminderRun",
    "ReminderDelivery",
    "ReminderRun",
]
