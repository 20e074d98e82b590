"""StreamField blocks shared by every page type."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    """A section heading; pages own their single h1, so bodies start at h2."""

    text = blocks.CharBlock(label=_("Titre"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Niveau"),
        choices=[("h2", _("Titre de section (h2)")), ("h3", _("Sous-titre (h3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Intertitre")
        template = "blocks/heading_block.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citation"))
    attribution = blocks.CharBlock(label=_("Auteur"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    """A prominent link, to a page of the site or to an outside address."""

    text = blocks.CharBlock(label=_("Texte du bouton"), max_length=80)
    page = blocks.PageChooserBlock(label=_("Page du site"), required=False)
    url = blocks.URLBlock(label=_("Ou adresse externe"), required=False)

    class Meta:
        icon = "link"
        label = _("Bouton d'action")
        template = "blocks/call_to_action_block.html"

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "page": ValidationError(_("Choisissez une page ou saisissez une adresse."))
                }
            )
        return value


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("Chiffre"), max_length=20)
    label = blocks.CharBlock(label=_("Légende"), max_length=80)

    class Meta:
        icon = "pick"
        label = _("Chiffre clé")


class BaseStreamBlock(blocks.StreamBlock):
    """The free content of standard pages, articles, programs and residents."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraphe"),
        features=["bold", "italic", "link", "document-link", "ol", "ul", "h3"],
        icon="pilcrow",
        template="blocks/paragraph_block.html",
    )
    image = ImageBlock(label=_("Image"), template="blocks/image_block.html")
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    embed = EmbedBlock(label=_("Vidéo ou contenu intégré"), template="blocks/embed_block.html")


SOCIAL_NETWORKS = [
    ("facebook", "Facebook"),
    ("instagram", "Instagram"),
    ("linkedin", "LinkedIn"),
    ("x", "X (Twitter)"),
    ("youtube", "YouTube"),
    ("mastodon", "Mastodon"),
    ("bluesky", "Bluesky"),
    ("tiktok", "TikTok"),
    ("other", _("Autre")),
]


class SocialLinkBlock(blocks.StructBlock):
    """A link to one of the hub's accounts on a social network."""

    network = blocks.ChoiceBlock(
        label=_("Réseau"),
        choices=SOCIAL_NETWORKS,
    )
    url = blocks.URLBlock(label=_("Adresse du compte"))
    label = blocks.CharBlock(
        label=_("Libellé"),
        required=False,
        max_length=60,
        help_text=_("Facultatif : remplace le nom du réseau (obligatoire pour « Autre »)."),
    )

    class Meta:
        icon = "site"
        label = _("Réseau social")

    def clean(self, value: blocks.StructValue) -> blocks.StructValue:
        value = super().clean(value)
        if value.get("network") == "other" and not value.get("label"):
            raise blocks.StructBlockValidationError(
                block_errors={"label": ValidationError(_("Donnez un libellé à ce lien."))}
            )
        return value


class MenuItemBlock(blocks.StructBlock):
    """An entry of a menu: a page of the site, under its title or a shorter label."""

    page = blocks.PageChooserBlock(label=_("Page"))
    label = blocks.CharBlock(
        label=_("Libellé"),
        required=False,
        max_length=60,
        help_text=_("Facultatif : par défaut, le titre de la page."),
    )

    class Meta:
        icon = "link"
        label = _("Lien du menu")
