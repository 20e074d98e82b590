"""The home page, with its live sections from the other apps, and the standard page."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.french import number_fr
from core.models import BasePage
from core.structured_data import Data, organization, with_context
from editorial.mixins import JointContentMixin
from home.blocks import KeyFigureBlock
from members.listings import latest_residents, resident_count
from news.listings import latest_articles
from pagecache import record
from pagecache.signals import loaded_tags
from programs.listings import featured_programs, open_contests, upcoming_events

# How many items each home page section shows.
HOME_LISTING_SIZE = 3


class HomePage(JointContentMixin, BasePage):
    """The site's root page: the hub in a few words and figures, then live listings."""

    introduction = models.TextField(_("introduction"), blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image d'accueil"),
        help_text=_(
            "Le bâtiment ou les résidents, montrés en grand à côté du titre : une photo "
            "horizontale d'au moins 1 200 pixels de large. La description de l'image (à défaut "
            "son titre) sert de texte alternatif."
        ),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    surface_area = models.PositiveIntegerField(_("surface (m²)"), default=1800)
    key_figures = StreamField(
        [("figure", KeyFigureBlock())], verbose_name=_("chiffres clés"), blank=True
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("hero_image"),
        FieldPanel("surface_area"),
        FieldPanel("key_figures"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    description_sources = ("introduction", "body")
    generated_description_hint = _("une présentation du Carburateur")

    class Meta:
        verbose_name = _("page d'accueil")

    def generated_description(self) -> str:
        return gettext(
            "Le Carburateur, pôle entrepreneurial des quartiers Nord de Marseille : "
            "%(area)s m² pour créer, accompagner et héberger les entreprises et les artisans."
        ) % {"area": number_fr(self.surface_area)}

    def structured_data(self, request: HttpRequest) -> Data:
        """The organisation itself: name, address, contacts, social accounts."""
        return with_context({**organization(request), "description": self.meta_description})

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = HomeSections(self, request)
        return context


class HomeSections:
    """The home page's live listings, each loaded the first time the template reads it.

    Loading them while the template renders, rather than in ``get_context``, lets the page
    keep them in a cached fragment (``{% cachedfragment %}``) whose tags are those of what they
    load; each app exposes a small function that costs a fixed number of queries and records
    what its section depends on (the page type it queries, the clock for events and votes), so
    the home page does not reach into their models.
    """

    def __init__(self, page: HomePage, request: HttpRequest) -> None:
        self.page = page
        self.request = request

    @cached_property
    def index_urls(self) -> dict[str, str]:
        """The "see all" link of each section, to its index page; one query finds them all."""
        return {
            child.specific_class._meta.model_name: child.get_url(self.request)
            for child in self.page.get_children()
            .live()
            .filter(
                content_type__model__in=[
                    "programindexpage",
                    "eventindexpage",
                    "memberindexpage",
                    "newsindexpage",
                    "contestindexpage",
                ]
            )
        }

    @cached_property
    def hero_image(self) -> AbstractImage | None:
        """The hero's image, loaded inside the fragment that shows it: one query when the
        fragment is rendered, none when it is fresh (the root page is not served from a kept
        route, so nothing comes with it). Its tags are recorded even when the page already
        held it (a preview), so that a new file or description refreshes the fragment."""
        image = self.page.hero_image
        if image is not None:
            record(*loaded_tags(image))
        return image

    @cached_property
    def resident_count(self) -> int:
        return resident_count()

    @cached_property
    def residents(self) -> list[Page]:
        return latest_residents(HOME_LISTING_SIZE)

    @cached_property
    def featured_programs(self) -> list[Page]:
        return list(featured_programs(HOME_LISTING_SIZE))

    @cached_property
    def upcoming_events(self) -> list[Page]:
        return list(upcoming_events(HOME_LISTING_SIZE))

    @cached_property
    def latest_news(self) -> list[Page]:
        return list(latest_articles(HOME_LISTING_SIZE))

    @cached_property
    def open_contests(self) -> list[Page]:
        return list(open_contests(HOME_LISTING_SIZE))


class StandardPage(JointContentMixin, BasePage):
    """Free content: about, access, contact, legal notice."""

    introduction = models.TextField(_("chapeau"), blank=True)
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]

    description_sources = ("introduction", "body")

    class Meta:
        verbose_name = _("page standard")
