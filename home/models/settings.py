"""Site-wide settings editors change in the admin: contact details and menus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Site

from core.french import phone_uri
from home.blocks import SOCIAL_NETWORKS, MenuItemBlock, SocialLinkBlock
from pagecache import memo, model_tag, record


@dataclass(frozen=True)
class SocialLink:
    """A social account as the footer shows it."""

    network: str
    label: str
    url: str


class CachedForRequestMixin:
    """Read a site setting from Django's cache instead of the database on each page.

    Wagtail reads the row once per request; every public page shows the footer, so the row is
    kept in the cache per site, and dropped from it (by its tag) when an editor saves it. Only
    page rendering goes through this: the admin still reads and edits the row itself.
    """

    @classmethod
    def for_request(cls, request: HttpRequest) -> Any:
        attr_name = cls.get_cache_attr_name()  # type: ignore[attr-defined]
        if hasattr(request, attr_name):
            # Reused within the request, maybe by a cached fragment that must depend on it too.
            record(model_tag(cls))  # type: ignore[arg-type]
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)  # type: ignore[misc]
        label = cls._meta.label  # type: ignore[attr-defined]
        instance: Self = memo(
            f"settings:{label}:{site.pk}",
            [model_tag(cls)],  # type: ignore[arg-type]
            lambda: cls.for_site(site),  # type: ignore[attr-defined]
        )
        instance._request = request  # type: ignore[attr-defined]
        setattr(request, attr_name, instance)
        return instance


@register_setting(icon="home")
class SiteSettings(CachedForRequestMixin, BaseSiteSetting):
    """The hub's address, contact details, opening hours and social accounts (footer)."""

    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("ville"), max_length=80, blank=True, default="Marseille")
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    opening_hours = models.TextField(
        _("horaires d'ouverture"),
        blank=True,
        help_text=_("Une ligne par plage, par exemple « Du lundi au vendredi, 9 h à 18 h »."),
    )
    social_links = StreamField(
        [("link", SocialLinkBlock())], verbose_name=_("réseaux sociaux"), blank=True
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("postal_code"), FieldPanel("city")],
            heading=_("Adresse"),
        ),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("contact_email"), FieldPanel("opening_hours")],
            heading=_("Contact"),
        ),
        FieldPanel("social_links"),
    ]

    class Meta:
        verbose_name = _("coordonnées du site")

    @property
    def phone_uri(self) -> str:
        """The phone number as a ``tel:`` link target (digits and a leading +)."""
        return phone_uri(self.phone)

    @property
    def has_address(self) -> bool:
        return bool(self.address or self.postal_code)

    def get_social_links(self) -> list[SocialLink]:
        """The social accounts in the editor's order, each with a readable name."""
        choices = dict(SOCIAL_NETWORKS)
        return [
            SocialLink(
                network=link.value["network"],
                label=link.value["label"] or str(choices.get(link.value["network"], "")),
                url=link.value["url"],
            )
            for link in self.social_links
        ]


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """The header menu and the footer links, in the order the editor sets.

    The resolved menus are cached (see ``home.navigation``), so rendering them costs no query
    once warm; saving these settings or publishing, moving or deleting a page clears the cache.
    """

    header_links = StreamField(
        [("item", MenuItemBlock())],
        verbose_name=_("menu principal"),
        blank=True,
        help_text=_(
            "Laissé vide, le menu reprend les pages placées sous l'accueil et cochées "
            "« Afficher dans les menus » (onglet Promotion)."
        ),
    )
    footer_links = StreamField(
        [("item", MenuItemBlock())], verbose_name=_("liens du pied de page"), blank=True
    )

    panels = [FieldPanel("header_links"), FieldPanel("footer_links")]

    class Meta:
        verbose_name = _("navigation")
