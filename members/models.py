"""The residents' directory: one page per company hosted at the hub."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.cards import register_card
from core.french import phone_uri
from core.images import prefetch_specs
from core.models import BasePage, public
from editorial.mixins import JointContentMixin
from news.models import ArticlePage
from pagecache import model_tag, record, type_tag
from pagecache.listings import children_tag, listing_variant
from programs.models import ContestEntry, ContestPage


class SpaceType(models.TextChoices):
    """The kinds of space a resident occupies at the hub."""

    COWORKING = "coworking", _("Coworking")
    STORAGE = "stockage", _("Stockage")
    WORKSHOP = "atelier", _("Atelier")
    OFFICE = "bureau", _("Bureau")


MEMBERS_PER_PAGE = 12
# The image profile a resident's card shows (see core.images); its template names the same one
# so that the prefetched renditions are the ones it asks for.
CARD_LOGO_PROFILE = "resident_card"


def with_card_data(queryset: QuerySet[MemberPage]) -> QuerySet[MemberPage]:
    """Fetch what a resident card shows but its logo's renditions, in one query: those are
    loaded only for the cards not found in the cache (``prefetch_card_renditions``)."""
    return queryset.select_related("trade", "logo")


def prefetch_card_renditions(members: list[MemberPage]) -> None:
    """The renditions of the logos of ``members`` for their cards, in one query."""
    prefetch_related_objects(members, prefetch_specs("logo", CARD_LOGO_PROFILE))


register_card("member", "members/includes/member_card.html", "member", prefetch_card_renditions)


class Trade(models.Model):
    """A trade (métier) residents are filtered by; managed as a snippet by editors."""

    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("métier")
        verbose_name_plural = _("métiers")

    def __str__(self) -> str:
        return self.name


class MemberIndexPage(JointContentMixin, BasePage):
    """The residents' directory, filterable by trade, space type and artisan status."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["members.MemberPage"]
    max_count = 1

    generated_description_hint = _("une phrase présentant l'annuaire")

    class Meta:
        verbose_name = _("annuaire des résidents")

    def generated_description(self) -> str:
        return gettext(
            "Annuaire des entreprises résidentes du Carburateur : artisans, commerçants et "
            "coopératives des quartiers Nord de Marseille, par métier et par espace."
        )

    def residents(self) -> QuerySet[MemberPage]:
        """The residents it lists: its live children, those open to anyone."""
        return public(MemberPage.objects.live()).child_of(self)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .forms import MemberFilterForm, submitted_filters

        context = super().get_context(request, *args, **kwargs)

        def filter_form() -> MemberFilterForm:
            # The trades offered are those of the live residents listed here.
            trades = Trade.objects.filter(members__in=self.residents()).distinct()
            return MemberFilterForm(request.GET, trades=trades)

        def page_of_results() -> PaginatorPage:
            filtered = with_card_data(form.filter_queryset(self.residents()))
            paginator = Paginator(filtered.order_by("title", "pk"), MEMBERS_PER_PAGE)
            return paginator.get_page(request.GET.get("page"))

        # The filters and the page of results are kept as fragments, under what the visitor
        # asked for: nothing below is built or queried until a template reads it, so that
        # stored ones cost nothing (the form, the trades, the COUNT, the rows).
        form = SimpleLazyObject(filter_form)
        context.update(
            filter_form=form,
            filter_submitted=submitted_filters(request.GET),
            filter_tag=children_tag(self.path),
            # A trade filter that matched no trade matches one once a trade is renamed to it.
            trade_tag=model_tag(Trade),
            results_variant=listing_variant(request, MemberFilterForm.base_fields),
            filter_query=SimpleLazyObject(lambda: form.query_params()),
            is_filtered=SimpleLazyObject(lambda: bool(form.valid_filters())),
            residents=SimpleLazyObject(page_of_results),
        )
        return context


class MemberPage(JointContentMixin, BasePage):
    """A resident company: who founded it, what it makes, where it sits in the hub."""

    company_name = models.CharField(_("raison sociale"), max_length=160)
    founders = models.CharField(_("fondateurs"), max_length=255, blank=True)
    trade = models.ForeignKey(
        Trade,
        verbose_name=_("métier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    is_artisan = models.BooleanField(_("artisan"), default=False)
    space_type = models.CharField(
        _("espace occupé"), max_length=20, choices=SpaceType.choices, blank=True
    )
    space_details = models.CharField(
        _("détail des espaces"),
        max_length=160,
        blank=True,
        help_text=_("Par exemple : un local de stockage et un poste en coworking."),
    )
    resident_since = models.DateField(_("résident depuis"), null=True, blank=True)
    website = models.URLField(_("site web"), blank=True)
    contact_email = models.EmailField(
        _("courriel de contact"),
        blank=True,
        help_text=_("Affiché sur la page publique : une adresse générique plutôt que personnelle."),
    )
    contact_phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    where_to_buy = models.TextField(_("où trouver ses produits"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("résumé"), blank=True, max_length=300)
    story = StreamField(BaseStreamBlock(), verbose_name=_("histoire"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("company_name"),
                FieldPanel("founders"),
                FieldPanel("trade"),
                FieldPanel("is_artisan"),
                FieldPanel("logo"),
            ],
            heading=_("L'entreprise"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("space_type"),
                FieldPanel("space_details"),
                FieldPanel("resident_since"),
            ],
            heading=_("Au Carburateur"),
        ),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Le contacter"),
        ),
        FieldPanel("where_to_buy"),
        FieldPanel("story"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("company_name"),
        index.SearchField("founders"),
        index.SearchField("summary"),
        index.SearchField("story"),
        index.FilterField("is_artisan"),
        index.FilterField("space_type"),
    ]
    parent_page_types = ["members.MemberIndexPage"]
    subpage_types: list[str] = []

    serve_select_related = (*BasePage.serve_select_related, "logo", "trade")

    description_sources = ("summary", "story")
    generated_description_hint = _("une phrase donnant l'entreprise et son espace au Carburateur")

    class Meta:
        verbose_name = _("page résident")
        verbose_name_plural = _("pages résidents")
        indexes = [models.Index(fields=["space_type", "is_artisan"])]

    def generated_description(self) -> str:
        # Not the trade: search results show this for many residents, without a query each.
        name = self.company_name or self.title
        if self.space_type:
            return gettext("%(name)s, entreprise résidente du Carburateur (%(space)s).") % {
                "name": name,
                "space": str(self.get_space_type_display()).lower(),
            }
        return gettext("%(name)s, entreprise résidente du Carburateur.") % {"name": name}

    @property
    def has_contact(self) -> bool:
        return bool(self.website or self.contact_email or self.contact_phone)

    @property
    def phone_uri(self) -> str:
        return phone_uri(self.contact_phone)

    # A contest or an article published, changed or withdrawn later changes the resident's
    # page: their types' tags are recorded for the page cache. One query each, for any count.

    def contest_entries_shown(self) -> QuerySet[ContestEntry]:
        """Its entries in live contests, the latest vote first, with their contest."""
        record(type_tag(ContestPage))
        contests = public(ContestPage.objects.live())
        return (
            self.contest_entries.filter(contest__in=contests)
            .select_related("contest")
            .order_by("-contest__vote_closes_at", "-pk")
        )

    def articles(self) -> QuerySet[ArticlePage]:
        """The live news articles linked to the resident (« pages liées »), newest first."""
        record(type_tag(ArticlePage))
        return (
            public(ArticlePage.objects.live())
            .filter(related_pages__page=self)
            .distinct()
            .order_by("-date", "-first_published_at", "-pk")
        )
