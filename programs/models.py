"""Programs, events, partners and contests."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BaseStreamBlock
from home.models import BasePage


class PartnerPage(BasePage):
    """A partner organisation, such as the Chambre de métiers et de l'artisanat."""

    short_name = models.CharField(_("sigle"), max_length=40, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    introduction = models.TextField(_("présentation"), blank=True)
    convention = RichTextField(_("convention de partenariat"), blank=True)
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
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("page partenaire")
        verbose_name_plural = _("pages partenaires")

    def __str__(self) -> str:
        return self.short_name or self.title
