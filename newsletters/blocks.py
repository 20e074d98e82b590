"""The blocks a newsletter issue is written with: text, image, a call to action, and cards
that pull in chosen pages of the site (residents, programs, events, contests, articles).

Each block has a web template (the issue's page in the archive) and an email template under
``newsletters/emails/blocks/`` (see ``newsletters.rendering``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from core.blocks import CallToActionBlock, HeadingBlock

# The page types a card may show, in the order the chooser lists them.
CARD_PAGE_TYPES = [
    "members.MemberPage",
    "programs.ProgramPage",
    "programs.EventPage",
    "programs.ContestPage",
    "news.ArticlePage",
]


class PageCardsBlock(blocks.StructBlock):
    """A row of cards, one per chosen page, each with its image, summary and link."""

    heading = blocks.CharBlock(label=_("Titre de la rubrique"), max_length=120, required=False)
    pages = blocks.ListBlock(
        blocks.PageChooserBlock(page_type=CARD_PAGE_TYPES, label=_("Page")),
        label=_("Pages"),
        min_num=1,
        max_num=12,
        help_text=_("Résidents, programmes, événements, concours ou articles."),
    )

    class Meta:
        icon = "list-ul"
        label = _("Cartes de pages du site")
        template = "newsletters/blocks/page_cards_block.html"


class NewsletterStreamBlock(blocks.StreamBlock):
    """What an issue's body may contain: the email renderer knows every one of these."""

    heading = HeadingBlock()
    text = blocks.RichTextBlock(
        label=_("Texte"),
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock(label=_("Image"), template="blocks/image_block.html")
    call_to_action = CallToActionBlock()
    cards = PageCardsBlock()
