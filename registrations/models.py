"""Who registered for which event, and the ledgers of what was mailed to them.

A ``Registration`` is one person (one address, case-insensitive) for one event: confirmed (a
seat), waiting (the waiting list, in ``waiting_since`` order) or cancelled. Seats are counted
under a lock on the event's ``RegistrationDesk`` row, so the last seat goes to one person only,
on PostgreSQL as on SQLite. Personal details are anonymised some months after the event: the
row stays (the counts and attendance rates stay right), the person is gone.

``RegistrantMessage`` is an organiser's email to an event's registrants; its
``RegistrantMessageDelivery`` rows are the exactly-once ledger of it (one row per registration,
unique, inserted in the same transaction as the outbox email).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def event_field(related_name: str) -> models.ForeignKey:
    """The event a row is about; it goes when the event page is deleted."""
    return models.ForeignKey(
        "programs.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        related_name=related_name,
    )


class RegistrationDesk(models.Model):
    """One row per event with registrations: the row every change of its seats locks first.

    Counting seats and inserting a registration happen while this row is locked
    (``select_for_update``; SQLite's IMMEDIATE transactions serialise writers anyway).
    """

    event = models.OneToOneField(
        "programs.EventPage",
        verbose_name=_("événement"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="registration_desk",
    )

    class Meta:
        verbose_name = _("guichet d'inscription")
        verbose_name_plural = _("guichets d'inscription")

    def __str__(self) -> str:
        return str(self.event_id)


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def confirmed(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self) -> RegistrationQuerySet:
        return self.filter(status=Registration.Status.WAITING).order_by("waiting_since", "pk")

    def active(self) -> RegistrationQuerySet:
        """Confirmed or waiting: the people an event's emails are for."""
        return self.exclude(status=Registration.Status.CANCELLED)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("inscrit·e")
        WAITING = "waiting", _("en liste d'attente")
        CANCELLED = "cancelled", _("annulée")

    event = event_field("registrations")
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    name = models.CharField(_("nom"), max_length=150)
    email = models.EmailField(_("courriel"), max_length=254)
    #: ``mailing.addresses.address_hash`` of the address: one registration per person and
    #: event whatever the case of the address. Emptied (with the rest) by anonymisation.
    address_hash = models.CharField(max_length=64)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    #: The organiser's questions as they were asked: [{"id", "label", "answer"}, ...].
    answers = models.JSONField(_("réponses"), default=list, blank=True)
    consent_text = models.TextField(_("texte du consentement accepté"), blank=True)
    created_at = models.DateTimeField(_("inscrit·e le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("place obtenue le"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("place libérée obtenue le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("présence notée le"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("présence notée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "address_hash"],
                condition=Q(anonymised_at__isnull=True),
                name="registrations_one_per_address_and_event",
            )
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self) -> str:
        return f"{self.name} → {self.event_id}"


class RegistrantMessage(models.Model):
    """An organiser's email to every active registrant of an event."""

    event = event_field("registrant_messages")
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("écrit par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("écrit le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("envoi terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message aux inscrits")
        verbose_name_plural = _("messages aux inscrits")

    def __str__(self) -> str:
        return self.subject


class RegistrantMessageDelivery(models.Model):
    """The ledger: this registration has been sent this message (its outbox email exists)."""

    message = models.ForeignKey(
        RegistrantMessage, on_delete=models.CASCADE, related_name="deliveries"
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="message_deliveries"
    )
    outbox_email = models.ForeignKey(
        "mailing.OutboxEmail", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "registration"], name="registrations_message_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.registration_id}"
