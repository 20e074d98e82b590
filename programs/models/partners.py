"""Partner organisations, such as the CMA, and the page that lists them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.models import BasePage, public
from editorial.mixins import JointContentMixin
from news.models import ArticlePage
from pagecache import record, type_tag

from .base import ListingPage, with_card_image
from .events import EventPage
from .programs import ProgramPage


class PartnerIndexPage(ListingPage):
    """« Partenaires »: the organisations the hub works with."""

    subpage_types = ["programs.PartnerPage"]

    generated_description_hint = _("une phrase présentant les partenaires")

    class Meta:
        verbose_name = _("liste des partenaires")
        verbose_name_plural = _("listes des partenaires")

    def generated_description(self) -> str:
        return gettext(
            "Les organisations partenaires du Carburateur et ce qu'elles proposent aux "
            "entrepreneurs et aux artisans des quartiers Nord de Marseille."
        )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        partners = PartnerPage.objects.child_of(self).live().order_by("title")
        context["partners"] = with_card_image(partners, "logo", "partner_card")
        return context


class PartnerPage(JointContentMixin, BasePage):
    """A partner organisation, such as the Chambre de métiers et de l'artisanat."""

    short_name = models.CharField(
        _("sigle"), max_length=40, blank=True, help_text=_("Par exemple « CMA ».")
    )
    name_in_sentence = models.CharField(
        _("nom dans une phrase"),
        max_length=80,
        blank=True,
        help_text=_(
            "Avec son article, tel qu'on l'écrit après « avec » ou « de » : par exemple "
            "« la CMA ». Vide : le sigle ou le titre."
        ),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    introduction = models.TextField(
        _("présentation"), blank=True, help_text=_("Qui est ce partenaire, en quelques phrases.")
    )
    convention = RichTextField(
        _("convention de partenariat"),
        blank=True,
        help_text=_("Ce que prévoit la convention qui lie le partenaire au Carburateur."),
    )
    contact_name = models.CharField(_("contact"), max_length=120, blank=True)
    address = models.TextField(
        _("adresse"),
        blank=True,
        help_text=_("Adresse postale, sur plusieurs lignes : rue, puis code postal et ville."),
    )
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)
    body = StreamField(
        BaseStreamBlock(), verbose_name=_("ce que le partenaire propose"), blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("short_name"),
        FieldPanel("name_in_sentence"),
        FieldPanel("logo"),
        FieldPanel("introduction"),
        FieldPanel("convention"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
                FieldPanel("address"),
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("website"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("short_name"),
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["programs.PartnerIndexPage"]
    subpage_types: list[str] = []

    description_sources = ("introduction", "body")
    generated_description_hint = _("une phrase présentant le partenaire")

    class Meta:
        verbose_name = _("page partenaire")
        verbose_name_plural = _("pages partenaires")

    def generated_description(self) -> str:
        return gettext("%(title)s, partenaire du Carburateur à Marseille.") % {"title": self.title}

    def __str__(self) -> str:
        return self.short_name or self.title

    @property
    def has_contact(self) -> bool:
        return any(
            (self.contact_name, self.address, self.contact_email, self.contact_phone, self.website)
        )

    @property
    def in_sentence(self) -> str:
        """How a sentence names the partner: « Site web de la CMA », « Avec la CMA »."""
        return self.name_in_sentence or str(self)

    # What the hub publishes with the partner, newest first, each list in one query whatever
    # its length. A page of these types published, changed or withdrawn later changes the
    # partner's page: its type's tag is recorded for the page cache.

    def joint_programs(self) -> QuerySet[ProgramPage]:
        """The programs the partner runs (``partner``) or that are joint content with it."""
        record(type_tag(ProgramPage))
        programs = ProgramPage.objects.live().filter(Q(partner=self) | Q(joint_partner=self))
        return public(programs).order_by("-first_published_at", "-pk")

    def joint_events(self) -> QuerySet[EventPage]:
        """The events that are joint content with the partner or sessions of its programs."""
        record(type_tag(EventPage))
        events = EventPage.objects.live().filter(Q(joint_partner=self) | Q(program__partner=self))
        return public(events).order_by("-start", "-pk")

    def joint_articles(self) -> QuerySet[ArticlePage]:
        """The news articles published jointly with the partner."""
        record(type_tag(ArticlePage))
        articles = ArticlePage.objects.live().filter(joint_partner=self)
        return public(articles).order_by("-date", "-first_published_at", "-pk")
