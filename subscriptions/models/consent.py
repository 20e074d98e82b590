"""The versioned consent wording and the append-only consent ledger."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove a record that may only be added."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError(f"{self.model.__name__} ne peut pas être modifié.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{self.model.__name__} ne peut pas être supprimé.")


class AppendOnlyModel(models.Model):
    """A model whose rows are written once: updates and deletes raise ``AppendOnlyError``."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} ne peut pas être modifié.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} ne peut pas être supprimé.")


class ConsentWording(AppendOnlyModel):
    """The text next to the consent checkbox. A change is a new version, never an edit."""

    version = models.PositiveIntegerField(_("version"), unique=True, editable=False)
    text = models.TextField(_("texte"))
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)

    class Meta:
        db_table = "newsletters_consentwording"
        ordering = ["-version"]
        verbose_name = _("texte de consentement")
        verbose_name_plural = _("textes de consentement")

    def __str__(self) -> str:
        return f"v{self.version} — {self.text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and not self.version:
            latest = ConsentWording.objects.aggregate(models.Max("version"))["version__max"]
            self.version = (latest or 0) + 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> ConsentWording | None:
        return cls.objects.order_by("-version").first()


class ConsentEvent(AppendOnlyModel):
    """One line of the ledger that proves consent.

    It names the person by the keyed hash of their address only, so it survives erasure
    and still proves what they agreed to and when.
    """

    # Out of Wagtail's reference index: its admin listing would otherwise register it, and
    # every sign-up would queue a Celery task to record that the event uses its wording, a
    # second task per sign-up for the worker (the PROTECT foreign key already forbids
    # deleting a wording in use, and nobody looks a wording's thousands of events up there).
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        SUBSCRIPTION = "subscription", _("demande d'inscription")
        CONFIRMATION = "confirmation", _("confirmation")
        TOPICS_CHANGED = "topics_changed", _("changement de thèmes")
        UNSUBSCRIPTION = "unsubscription", _("désinscription")
        ERASURE = "erasure", _("effacement")
        IMPORT = "import", _("import (consentement déclaré)")
        CONTEST_FOLLOW = "contest_follow", _("demande de rappel de vote")
        CONTEST_FOLLOW_CONFIRMED = "follow_confirmed", _("confirmation d'un rappel de vote")
        CONTEST_OPT_OUT = "contest_opt_out", _("refus des rappels d'un concours")

    kind = models.CharField(_("événement"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    address_hash = models.CharField(_("empreinte de l'adresse"), max_length=64, db_index=True)
    topics = models.JSONField(_("thèmes"), default=list, blank=True)
    wording = models.ForeignKey(
        ConsentWording,
        verbose_name=_("texte de consentement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    source = models.CharField(_("source"), max_length=255)
    client_network = models.CharField(
        _("réseau du client"),
        max_length=43,
        blank=True,
        help_text=_("Adresse IP tronquée : /24 en IPv4, /48 en IPv6."),
    )

    class Meta:
        db_table = "newsletters_consentevent"
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("événement de consentement")
        verbose_name_plural = _("registre des consentements")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.occurred_at:%d/%m/%Y %H:%M}"
