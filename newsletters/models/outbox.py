"""Emails waiting to be sent: written in the transaction that decides to send them."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A claim lasts long enough for one SMTP conversation; a worker that died mid-send
# releases its rows when the claim runs out.
CLAIM_DURATION = timedelta(minutes=10)
MAX_ATTEMPTS = 12


class OutboxQuerySet(models.QuerySet["OutboxEmail"]):
    def due(self) -> OutboxQuerySet:
        """Unsent, not claimed by a live worker, and not given up on."""
        now = timezone.now()
        return self.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
        )

    def claim(self, pk: int) -> bool:
        """Take one row for sending. Exactly one caller gets ``True`` for a due row.

        A conditional UPDATE is atomic on every database, so two workers racing for the same
        row cannot both win, without holding a lock during the SMTP conversation.
        """
        now = timezone.now()
        return bool(
            self.due()
            .filter(pk=pk)
            .update(claimed_until=now + CLAIM_DURATION, attempts=F("attempts") + 1)
        )


class OutboxEmail(models.Model):
    """One email, rendered, with its headers; ``sent_at`` is set once it has left."""

    kind = models.CharField(_("type"), max_length=40)
    address_hash = models.CharField(max_length=64, db_index=True)
    to = models.EmailField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("courriel en attente")
        verbose_name_plural = _("boîte d'envoi")
        indexes = [models.Index(fields=["sent_at", "claimed_until"])]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"
