"""Addresses that must never be mailed again, kept as keyed hashes only."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Suppression(models.Model):
    """An address (by keyed hash) that receives nothing until it opts in afresh."""

    class Reason(models.TextChoices):
        UNSUBSCRIBED = "unsubscribed", _("désinscription")
        ERASED = "erased", _("effacement des données")
        BOUNCED = "bounced", _("adresse en erreur")
        COMPLAINT = "complaint", _("signalement comme indésirable")

    address_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("adresse bloquée")
        verbose_name_plural = _("liste de blocage")

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}… ({self.get_reason_display()})"
