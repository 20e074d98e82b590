"""What the hub offers: coaching, hosting, trainings, information meetings, expert appointments."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PageQuerySet
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.models import BasePage
from editorial.mixins import JointContentMixin

from .base import ListingPage, paginate, with_card_image


class ProgramKind(models.TextChoices):
    """The kinds of program the hub runs, alone or with a partner."""

    COACHING = "accompagnement", _("Accompagnement")
    HOSTING = "hebergement", _("Hébergement")
    TRAINING = "formation", _("Formation")
    INFORMATION_MEETING = "reunion-information", _("Réunion d'information")
    EXPERT_APPOINTMENT = "rendez-vous-experts", _("Rendez-vous d'experts")


class ProgramQuerySet(PageQuerySet):
    def for_cards(self) -> QuerySet[ProgramPage]:
        """What a program card shows (partner, image and its rendition), in constant queries."""
        return with_card_image(self.select_related("partner"), "listing_image", "program_card")


ProgramManager = PageManager.from_queryset(ProgramQuerySet)


class ProgramIndexPage(ListingPage):
    """« Programmes »: every program, filterable by kind."""

    per_page = 24
    subpage_types = ["programs.ProgramPage"]

    generated_description_hint = _("une phrase citant les types de programme")

    class Meta:
        verbose_name = _("liste des programmes")
        verbose_name_plural = _("listes des programmes")

    def generated_description(self) -> str:
        kinds = ", ".join(str(label).lower() for label in ProgramKind.labels)
        return gettext(
            "Les programmes du Carburateur pour créer et développer son entreprise à "
            "Marseille : %(kinds)s."
        ) % {"kinds": kinds}

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        programs = ProgramPage.objects.child_of(self).live().for_cards().order_by("title")
        # An unknown kind is ignored rather than refused: the full list is a fair answer.
        kind = request.GET.get("type", "")
        if kind in ProgramKind.values:
            programs = programs.filter(kind=kind)
        else:
            kind = ""
        context["kinds"] = ProgramKind.choices
        context["selected_kind"] = kind
        context["pagination_query"] = f"{urlencode({'type': kind})}&" if kind else ""
        context["programs"] = paginate(request, programs, self.per_page)
        return context


class ProgramPage(JointContentMixin, BasePage):
    """A program: who it is for, what it costs, who offers it, and its dated sessions."""

    kind = models.CharField(_("type de programme"), max_length=30, choices=ProgramKind.choices)
    audience = models.CharField(
        _("public"),
        max_length=200,
        blank=True,
        help_text=_("À qui s'adresse ce programme, par exemple « artisans en création »."),
    )
    is_free = models.BooleanField(
        _("gratuit"), default=True, help_text=_("Décochez si le programme est payant.")
    )
    price = models.CharField(
        _("tarif"),
        max_length=120,
        blank=True,
        help_text=_("Obligatoire pour un programme payant, par exemple « 120 € la journée »."),
    )
    partner = models.ForeignKey(
        "programs.PartnerPage",
        verbose_name=_("partenaire"),
        help_text=_("L'organisation qui propose ce programme, s'il n'est pas porté par le hub."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="programs",
    )
    summary = models.TextField(
        _("résumé"),
        max_length=300,
        blank=True,
        help_text=_("Deux ou trois phrases, reprises sur les cartes et dans les listes."),
    )
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image de liste"),
        help_text=_("Image montrée sur les cartes du programme."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)
    featured = models.BooleanField(
        _("mis en avant"), default=False, help_text=_("Afficher ce programme en page d'accueil.")
    )

    objects = ProgramManager()

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("is_free"), FieldPanel("price")]),
                PageChooserPanel("partner", page_type="programs.PartnerPage"),
            ],
            heading=_("Le programme"),
        ),
        FieldPanel("summary"),
        FieldPanel("listing_image"),
        FieldPanel("body"),
    ]
    promote_panels = [*BasePage.promote_panels, FieldPanel("featured")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("audience"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("featured"),
    ]
    parent_page_types = ["programs.ProgramIndexPage"]
    subpage_types: list[str] = []

    serve_select_related = (*BasePage.serve_select_related, "partner")

    description_sources = ("summary", "body")
    generated_description_hint = _("une phrase donnant le type de programme, le public et le tarif")

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def generated_description(self) -> str:
        parts = [
            gettext("%(title)s, un programme « %(kind)s » du Carburateur.")
            % {"title": self.title, "kind": self.get_kind_display()}
        ]
        if self.audience:
            parts.append(gettext("Public : %(audience)s.") % {"audience": self.audience})
        if self.is_free:
            parts.append(gettext("Gratuit."))
        elif self.price:
            parts.append(gettext("Tarif : %(price)s.") % {"price": self.price})
        return " ".join(parts)

    def clean(self) -> None:
        super().clean()
        if not self.is_free and not self.price.strip():
            raise ValidationError({"price": _("Indiquez le tarif d'un programme payant.")})

    def upcoming_events(self) -> list[Any]:
        """The next ten live sessions. Called where they show (the page's cached fragment), so
        that what shows them depends on every event and expires when the next one ends."""
        from .events import depends_on_upcoming_events

        depends_on_upcoming_events()
        return list(self.events.live().filter(end__gte=timezone.now()).order_by("start")[:10])
