"""The blocks of a legal page's body: headings, paragraphs and the retention periods table."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from wagtail import blocks

from core.blocks import HeadingBlock

from .retention import retention_periods


class RetentionPeriodsBlock(blocks.StaticBlock):
    """The table of how long personal data is kept, computed from the settings the code applies.

    A static block, so the editor places it in the privacy policy but cannot make it promise
    something the code does not do.
    """

    class Meta:
        icon = "time"
        label = _("Durées de conservation (d'après la configuration)")
        admin_text = _(
            "Le tableau des durées de conservation est calculé à partir de la configuration "
            "du site : il suit automatiquement les durées réellement appliquées."
        )
        template = "legal/blocks/retention_periods_block.html"

    def get_context(self, value: Any, parent_context: dict[str, Any] | None = None) -> dict:
        context = super().get_context(value, parent_context=parent_context)
        context["periods"] = retention_periods()
        return context


class LegalStreamBlock(blocks.StreamBlock):
    """Sections and their text: what a legal page needs, and its table of contents reads."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"),
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
    retention_periods = RetentionPeriodsBlock()
