"""Topics people subscribe to, and the subscribers themselves."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from mailing.models import Suppression


class Topic(models.Model):
    """A theme of the hub's newsletters, managed by editors ("Concours et votes", …)."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(
        _("identifiant"),
        max_length=80,
        unique=True,
        help_text=_("Utilisé dans les imports CSV et les liens ; ne le changez pas à la légère."),
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    is_active = models.BooleanField(
        _("proposé à l'inscription"),
        default=True,
        help_text=_("Décochez pour retirer ce thème du formulaire sans perdre les abonné·es."),
    )
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        db_table = "newsletters_topic"
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self) -> str:
        return self.name


class SubscriberQuerySet(models.QuerySet["Subscriber"]):
    def not_suppressed(self) -> SubscriberQuerySet:

        return self.exclude(Exists(Suppression.objects.filter(address_hash=OuterRef("email_hash"))))

    def mailable(self, topic: Topic | str) -> SubscriberQuerySet:
        """Confirmed subscribers of ``topic`` (object or slug) whose address is not suppressed.

        This is the one place that decides who may receive a newsletter of a topic; see
        ``subscriptions.audience``.
        """
        topic_filter = {"topics": topic} if isinstance(topic, Topic) else {"topics__slug": topic}
        return (
            self.filter(status=Subscriber.Status.CONFIRMED, **topic_filter)
            .filter(topics__is_active=True)
            .not_suppressed()
            .distinct()
        )


class Subscriber(models.Model):
    """One address. Unique without regard to case; only ``confirmed`` ones are ever mailed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente de confirmation")
        CONFIRMED = "confirmed", _("confirmé")
        UNSUBSCRIBED = "unsubscribed", _("désinscrit")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("adresse électronique"), max_length=254)
    email_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        _("statut"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("thèmes"), related_name="subscribers", blank=True
    )
    source = models.CharField(
        _("source"),
        max_length=255,
        help_text=_("Page du formulaire ou import d'où vient l'inscription."),
    )
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désinscrit le"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        db_table = "newsletters_subscriber"
        ordering = ["-created_at"]
        verbose_name = _("abonné·e")
        verbose_name_plural = _("abonné·es")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="newsletters_subscriber_email_ci_unique")
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.email

    @property
    def topic_slugs(self) -> list[str]:
        return sorted(topic.slug for topic in self.topics.all())
