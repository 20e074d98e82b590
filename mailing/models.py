"""Every email's records: the outbox, the suppression list and the throttle's fallback state.

The tables keep the names they had in ``newsletters``, where these models began.
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.conf import settings
from django.db import connections, models
from django.db.models import F, Q
from django.db.models.sql import UpdateQuery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def claim_duration() -> timedelta:
    """How long a claim lasts (``NEWSLETTERS_OUTBOX_CLAIM_SECONDS``, ten minutes): long enough
    for one SMTP conversation; a worker that died mid-send releases its row when it runs out."""
    return timedelta(seconds=settings.NEWSLETTERS_OUTBOX_CLAIM_SECONDS)


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
        return self.claim_row(pk) is not None

    def claim_row(self, pk: int) -> OutboxEmail | None:
        """``claim`` that also returns the row it took (None if it took none), as it is once
        claimed: one statement (``UPDATE … RETURNING``) where claiming and then reading took two.

        The UPDATE is the one ``claim`` always made (Django writes its SQL); the row comes back
        from the same statement, so it is exactly the row this caller won.
        """
        now = timezone.now()
        query = cast(UpdateQuery, self.due().filter(pk=pk).query.chain(UpdateQuery))
        query.add_update_values(
            {"claimed_until": now + claim_duration(), "attempts": F("attempts") + 1}
        )
        connection = connections[self.db]
        update, params = query.get_compiler(self.db).as_sql()
        columns = ", ".join(
            connection.ops.quote_name(str(field.column))
            for field in self.model._meta.concrete_fields
        )
        # raw() turns the returned columns into an instance, through each field's converters.
        rows = list(
            self.model.objects.db_manager(self.db).raw(f"{update} RETURNING {columns}", params)
        )
        return rows[0] if rows else None


class OutboxEmail(models.Model):
    """One email, rendered, with its headers; ``sent_at`` is set once it has left."""

    kind = models.CharField(_("type"), max_length=40)
    address_hash = models.CharField(max_length=64, db_index=True)
    to = models.EmailField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    #: Small text files sent with the email (an event's .ics):
    #: [{"filename": ..., "content": ..., "mimetype": ...}, ...].
    attachments = models.JSONField(default=list, blank=True)
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
        db_table = "newsletters_outboxemail"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


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
        db_table = "newsletters_suppression"

    def __str__(self) -> str:
        return f"{self.address_hash[:12]}… ({self.get_reason_display()})"


class ThrottleBucket(models.Model):
    """The shared throttle's state when no Redis is configured (see ``mailing.throttle``)."""

    name = models.CharField(max_length=40, unique=True)
    # The time (Unix seconds) at which the next message may leave.
    next_free_at = models.FloatField(default=0.0)

    class Meta:
        db_table = "newsletters_throttlebucket"

    def __str__(self) -> str:
        return self.name
