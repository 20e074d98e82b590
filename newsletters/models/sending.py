"""The record of a newsletter send and its per-recipient delivery ledger.

The ledger is the source of truth for who has been mailed; Celery messages only wake workers
up (see docs/exactly-once.md for how exactly-once delivery holds).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Send(models.Model):
    """Sending one approved revision of an issue to its topic's subscribers."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("programmé")
        SENDING = "sending", _("envoi en cours")
        PAUSED = "paused", _("en pause")
        DONE = "done", _("terminé")
        CANCELLED = "cancelled", _("annulé")

    page = models.ForeignKey(
        "newsletters.NewsletterPage",
        verbose_name=_("lettre"),
        on_delete=models.PROTECT,
        related_name="sends",
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("révision envoyée"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.ForeignKey(
        "subscriptions.Topic", verbose_name=_("thème"), on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("objet"), max_length=150)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    scheduled_at = models.DateTimeField(_("programmé pour"))
    status = models.CharField(
        _("état"), max_length=12, choices=Status.choices, default=Status.SCHEDULED
    )
    status_message = models.CharField(_("remarque"), max_length=255, blank=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("destinataires"), default=0)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("envoi")
        verbose_name_plural = _("envois")
        indexes = [models.Index(fields=["status", "scheduled_at"])]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.SCHEDULED, self.Status.SENDING, self.Status.PAUSED}


class Delivery(models.Model):
    """One recipient of one send. ``(send, subscriber)`` is unique: one row, one email."""

    class State(models.TextChoices):
        QUEUED = "queued", _("en attente")
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec")
        SUPPRESSED = "suppressed", _("écarté (désinscrit ou bloqué)")
        CANCELLED = "cancelled", _("annulé")

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        "subscriptions.Subscriber", on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Who holds the row while sending, and until when (see docs/exactly-once.md).
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # A transient refusal puts the row back in the queue, not before this time.
    not_before = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    smtp_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("remise")
        verbose_name_plural = _("registre des remises")
        constraints = [
            models.UniqueConstraint(
                fields=["send", "subscriber"], name="newsletters_delivery_once_per_send"
            )
        ]
        indexes = [
            models.Index(fields=["send", "state"]),
            models.Index(fields=["send", "sent_at"]),
            models.Index(fields=["claim_token"]),
            # The rows a server refused (a handful): the progress page counts them and shows
            # the latest refusal every two seconds, without reading the send's other rows.
            models.Index(
                fields=["send", "state"],
                condition=~models.Q(last_error=""),
                name="newsletters_delivery_refused",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.send_id} → {self.subscriber_id} ({self.get_state_display()})"
