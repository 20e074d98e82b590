"""Partner organisations, such as the CMA, and the page that lists them."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.models import BasePage
from editorial.mixins import JointContentMixin
from pagecache import record, type_tag

from .base import ListingPage, with_card_image


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
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    website = models.URLField(_("site web"), blank=True)
    body = StreamField(
        BaseStreamBlock(), verbose_name=_("ce que le partenaire propose"), blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("short_name"),
        FieldPanel("logo"),
        FieldPanel("introduction"),
        FieldPanel("convention"),
        MultiFieldPanel(
            [
                FieldPanel("contact_name"),
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

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        from .programs import ProgramPage

        record(type_tag(ProgramPage))  # the partner's programs, published or not later
        context["programs"] = self.programs.live().order_by("title")
        return context
