"""StreamField blocks of the home page and of the site settings (figures, social links, menus)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wagtail import blocks


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("Chiffre"), max_length=20)
    label = blocks.CharBlock(label=_("Légende"), max_length=80)

    class Meta:
        icon = "pick"
        label = _("Chiffre clé")


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
