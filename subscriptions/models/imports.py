"""A CSV import of existing subscribers, with its progress and its list of bad rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_STORED_ERRORS = 1000


class SubscriberImport(models.Model):
    """One uploaded file, validated then imported by a Celery task."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("en file d'attente")
        VALIDATING = "validating", _("vérification en cours")
        INVALID = "invalid", _("refusé : lignes invalides")
        IMPORTING = "importing", _("import en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échec")

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    original_name = models.CharField(_("fichier"), max_length=255)
    stored_path = models.CharField(max_length=500)
    consent_source = models.CharField(_("source du consentement"), max_length=200)
    default_topics = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    merged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "newsletters_subscriberimport"
        ordering = ["-created_at"]
        verbose_name = _("import d'abonné·es")
        verbose_name_plural = _("imports d'abonné·es")

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.VALIDATING, self.Status.IMPORTING}
