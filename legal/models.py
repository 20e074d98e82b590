"""The legal page: one per kind and per site (legal notice, privacy policy, accessibility)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.models import BasePage
from editorial.mixins import JointContentMixin

from .blocks import LegalStreamBlock
from .forms import LegalPageForm


class LegalKind(models.TextChoices):
    """What a legal page is; the footer lists them in this order."""

    NOTICE = "mentions-legales", _("Mentions légales")
    PRIVACY = "confidentialite", _("Politique de confidentialité")
    ACCESSIBILITY = "accessibilite", _("Déclaration d'accessibilité")


class Conformity(models.TextChoices):
    """The RGAA states of compliance, as the accessibility statement must word them."""

    NONE = "non-conforme", _("non conforme")
    PARTIAL = "partiellement-conforme", _("partiellement conforme")
    FULL = "totalement-conforme", _("totalement conforme")


@dataclass(frozen=True)
class TocEntry:
    """One section of the page: the anchor its heading carries and its text."""

    anchor: str
    text: str


class LegalPage(JointContentMixin, BasePage):
    """A legal page; its ``kind`` is unique under a site's home page, so the footer finds it."""

    kind = models.CharField(
        _("type de page légale"),
        max_length=30,
        choices=LegalKind.choices,
        help_text=_("Une seule page de chaque type par site : le pied de page y renvoie."),
    )
    introduction = models.TextField(_("chapeau"), blank=True)
    last_reviewed = models.DateField(
        _("dernière mise à jour"),
        help_text=_("Date à laquelle le contenu a été vérifié pour la dernière fois."),
    )
    conformity = models.CharField(
        _("état de conformité (RGAA)"),
        max_length=30,
        choices=Conformity.choices,
        blank=True,
        help_text=_(
            "Pour la déclaration d'accessibilité uniquement. Sans audit de conformité en cours "
            "de validité, le RGAA impose « non conforme ». Affiché dans le pied de page."
        ),
    )
    body = StreamField(LegalStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("kind"), FieldPanel("last_reviewed"), FieldPanel("conformity")],
            heading=_("Page légale"),
        ),
        FieldPanel("introduction"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    base_form_class = LegalPageForm

    class Meta:
        verbose_name = _("page légale")
        verbose_name_plural = _("pages légales")

    def clean(self) -> None:
        super().clean()
        if self.kind == LegalKind.ACCESSIBILITY and not self.conformity:
            raise ValidationError(
                {"conformity": _("La déclaration d'accessibilité doit indiquer son état.")}
            )
        if self.kind != LegalKind.ACCESSIBILITY and self.conformity:
            raise ValidationError(
                {"conformity": _("Seule la déclaration d'accessibilité a un état de conformité.")}
            )

    @cached_property
    def anchored_body(self) -> list[tuple[Any, str]]:
        """The body's blocks, each with the anchor of its heading (empty for other blocks).

        Anchors come from the heading's text, so that a link to a section reads well and
        survives edits elsewhere in the page; repeated texts get a number.
        """
        seen: set[str] = set()
        blocks = []
        for number, block in enumerate(self.body, start=1):
            anchor = ""
            if block.block_type == "heading":
                base = slugify(block.value["text"]) or f"section-{number}"
                anchor, suffix = base, 2
                while anchor in seen:
                    anchor, suffix = f"{base}-{suffix}", suffix + 1
                seen.add(anchor)
            blocks.append((block, anchor))
        return blocks

    @property
    def table_of_contents(self) -> list[TocEntry]:
        """The page's sections (its h2 headings), for the « Sommaire »."""
        return [
            TocEntry(anchor, block.value["text"])
            for block, anchor in self.anchored_body
            if anchor and block.value["level"] == "h2"
        ]
