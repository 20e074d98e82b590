"""Pages shared by the whole site: the base page, the home page and the standard page."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction, Workflow
from wagtail.query import PageQuerySet
from wagtail.search import index

from editorial.forms import EditorialPageForm
from editorial.permission_testers import EditorialPermissionsMixin
from home.blocks import BaseStreamBlock, KeyFigureBlock
from pagecache import memo, model_tag

# How many items each home page section shows.
HOME_LISTING_SIZE = 3

PARTNER_PAGE_TYPE = "programs.PartnerPage"
META_DESCRIPTION_LENGTH = 200


def view_restrictions_exist() -> bool:
    """Whether any page of any site is private (kept in the cache until a restriction changes)."""
    return memo(
        "home:view-restrictions-exist",
        [model_tag(PageViewRestriction)],
        PageViewRestriction.objects.exists,
    )


QS = TypeVar("QS", bound=PageQuerySet)


def public(queryset: QS) -> QS:
    """``queryset.public()`` without its query on view restrictions when there are none.

    Wagtail's ``public()`` reads every restriction each time it is called; listings call it
    on every render, and most sites have no private page.
    """
    return queryset.public() if view_restrictions_exist() else queryset


class BasePage(EditorialPermissionsMixin, Page):
    """Fields every public page has: a sharing image and the joint-content marker.

    ``joint_partner`` marks a page published jointly with a partner (co-branding on the public
    page); the editorial workflow keys on it. It points at ``wagtailcore.Page`` restricted to
    partner pages, rather than at ``programs.PartnerPage`` directly, so that the shared base
    does not make every app's migrations depend on the programs app.
    """

    joint_partner = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("contenu conjoint avec"),
        help_text=_(
            "Choisissez un partenaire si ce contenu est publié conjointement avec lui "
            "(par exemple la Chambre de métiers et de l'artisanat). Il sera co-signé sur la "
            "page publique et devra être validé par ce partenaire."
        ),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image de partage"),
        help_text=_("Image montrée lorsque la page est partagée sur les réseaux sociaux."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    joint_panels = [
        MultiFieldPanel(
            [PageChooserPanel("joint_partner", page_type=PARTNER_PAGE_TYPE)],
            heading=_("Contenu conjoint"),
        )
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("social_image")]
    settings_panels = [*joint_panels, *Page.settings_panels]
    base_form_class = EditorialPageForm

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.joint_partner_id is not None:
            partner = Page.objects.filter(pk=self.joint_partner_id).only("content_type").first()
            if partner is None or partner.specific_class.__name__ != "PartnerPage":
                raise ValidationError(
                    {"joint_partner": _("Le contenu conjoint doit désigner une page partenaire.")}
                )

    def get_view_restrictions(self) -> PageViewRestriction:
        """Wagtail checks the page's and its ancestors' restrictions on every view (two
        queries); most sites have none, so first ask the cache whether any exists at all."""
        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    @property
    def is_joint(self) -> bool:
        return self.joint_partner_id is not None

    @property
    def meta_description(self) -> str:
        """The page's summary for search results and sharing cards.

        The editor's search description wins; otherwise the page's introduction, when the page
        type has one, cut to a length that sharing cards show whole.
        """
        text = self.search_description or strip_tags(str(getattr(self, "introduction", "") or ""))
        return Truncator(" ".join(text.split())).chars(META_DESCRIPTION_LENGTH)

    def get_workflow(self) -> Workflow | None:
        """Joint content goes through the chamber wherever it sits in the tree.

        Wagtail picks workflows by tree position; the editorial app routes by the marker
        instead (see ``editorial.routing``).
        """
        from editorial.routing import route_workflow

        return route_workflow(self, super().get_workflow())


class HomePage(BasePage):
    """The site's root page: the hub in a few words and figures, then live listings."""

    introduction = models.TextField(_("introduction"), blank=True)
    surface_area = models.PositiveIntegerField(_("surface (m²)"), default=1800)
    key_figures = StreamField(
        [("figure", KeyFigureBlock())], verbose_name=_("chiffres clés"), blank=True
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("surface_area"),
        FieldPanel("key_figures"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("page d'accueil")

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
            .filter(content_type__model__in=["programindexpage", "eventindexpage", "newsindexpage"])
        }

    @cached_property
    def resident_count(self) -> int:
        from members.listings import resident_count

        return resident_count()

    @cached_property
    def featured_programs(self) -> list[Page]:
        from programs.listings import featured_programs

        return list(featured_programs(HOME_LISTING_SIZE))

    @cached_property
    def upcoming_events(self) -> list[Page]:
        from programs.listings import upcoming_events

        return list(upcoming_events(HOME_LISTING_SIZE))

    @cached_property
    def latest_news(self) -> list[Page]:
        from news.listings import latest_articles

        return list(latest_articles(HOME_LISTING_SIZE))

    @cached_property
    def open_contests(self) -> list[Page]:
        from programs.listings import open_contests

        return list(open_contests(HOME_LISTING_SIZE))


class StandardPage(BasePage):
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

    class Meta:
        verbose_name = _("page standard")
