"""News: the articles index (with its RSS feed) and the articles themselves."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.blocks import BaseStreamBlock
from core.french import date_fr
from core.images import prefetch_specs
from core.models import BasePage, public
from core.structured_data import (
    Data,
    day_start,
    image_url,
    iso_datetime,
    organization,
    page_url,
    reference,
    with_context,
)
from core.text import shorten
from editorial.mixins import JointContentMixin
from pagecache import page_tags, record

StrOrPromise = str | Promise

ARTICLES_PER_PAGE = 10
# Search engines cut an article's headline beyond this length.
HEADLINE_LENGTH = 110
# The image profile an article card shows (see core.images); the card template names it too.
CARD_IMAGE_PROFILE = "article_card"

# The page types an article may point to, with the heading each group gets on the article.
# The related page is a plain ``wagtailcore.Page`` foreign key so that news does not depend on
# the migrations of the apps it points to; the chooser and ``clean`` keep it to these types.
RELATED_PAGE_TYPES: dict[str, StrOrPromise] = {
    "members.MemberPage": _("Résidents"),
    "programs.PartnerPage": _("Partenaires"),
    "programs.ProgramPage": _("Programmes"),
}


def with_card_data(queryset: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Fetch what an article card shows (image rendition, tags) in a fixed number of queries."""
    return queryset.select_related("listing_image").prefetch_related(
        "tags", prefetch_specs("listing_image", CARD_IMAGE_PROFILE)
    )


class ArticlePageTag(TaggedItemBase):
    """Links an article to a taggit tag."""

    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsIndexPage(RoutablePageMixin, JointContentMixin, BasePage):
    """The news section: the latest articles, page by page, optionally for one tag; RSS feed."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.ArticlePage"]
    max_count = 1

    generated_description_hint = _("une phrase présentant les actualités")

    class Meta:
        verbose_name = _("index des actualités")

    def generated_description(self) -> str:
        return gettext(
            "Les actualités du Carburateur et de ses résidents, entreprises et artisans des "
            "quartiers Nord de Marseille."
        )

    def articles(self) -> QuerySet[ArticlePage]:
        """Published articles of this section, newest first."""
        return (
            public(ArticlePage.objects.live())
            .child_of(self)
            .order_by("-date", "-first_published_at", "-pk")
        )

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from .forms import ArticleFilterForm

        context = super().get_context(request, *args, **kwargs)
        articles = self.articles()
        form = ArticleFilterForm(request.GET, articles=articles)
        paginator = Paginator(with_card_data(form.filter_queryset(articles)), ARTICLES_PER_PAGE)
        context.update(
            filter_form=form,
            filter_query=form.query_params(),
            current_tag=form.valid_filters().get("tag"),
            articles=paginator.get_page(request.GET.get("page")),
        )
        return context

    @path("rss/", name="rss")
    def rss(self, request: HttpRequest) -> HttpResponse:
        from .feeds import LatestArticlesFeed

        return LatestArticlesFeed(self)(request)


class ArticlePage(JointContentMixin, BasePage):
    """A news article: dated, signed, tagged, and linked to the residents, partners and
    programs it is about."""

    date = models.DateField(_("date de publication"), default=timezone.localdate)
    author = models.CharField(_("auteur"), max_length=120, blank=True)
    introduction = models.TextField(_("chapeau"), blank=True, max_length=500)
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image de la vignette"),
        help_text=_("Image montrée dans la liste des actualités et en tête de l'article."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BaseStreamBlock(), verbose_name=_("contenu"), blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("mots-clés"))

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author"), FieldPanel("tags")],
            heading=_("Publication"),
        ),
        FieldPanel("introduction"),
        FieldPanel("listing_image"),
        FieldPanel("body"),
        InlinePanel(
            "related_pages",
            heading=_("Pages liées"),
            label=_("Page liée"),
            help_text=_("Les résidents, partenaires et programmes dont parle l'article."),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("introduction"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("date"),
    ]
    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    serve_select_related = (*BasePage.serve_select_related, "listing_image")

    description_sources = ("introduction", "body")
    generated_description_hint = _("une phrase donnant le titre et la date de l'article")

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def generated_description(self) -> str:
        return gettext("%(title)s : article du Carburateur publié le %(date)s.") % {
            "title": self.title,
            "date": date_fr(self.date),
        }

    def structured_data(self, request: HttpRequest) -> Data:
        """A schema.org NewsArticle, published by the hub (and signed by its author)."""
        hub = organization(request)
        url = page_url(self, request)
        image = self.social_image or self.listing_image
        published = self.published_at()
        modified = max(published, self.last_published_at or published)
        return with_context(
            {
                "@type": "NewsArticle",
                "headline": shorten(self.title, HEADLINE_LENGTH),
                "description": self.meta_description,
                # An image is required: the hub's logo when the article has none.
                "image": [image_url(image) if image else hub["logo"]["url"]],
                "datePublished": iso_datetime(published),
                "dateModified": iso_datetime(modified),
                "author": (
                    {"@type": "Person", "name": self.author} if self.author else reference(hub)
                ),
                "publisher": reference(hub),
                "mainEntityOfPage": {"@type": "WebPage", "@id": url},
                "url": url,
            }
        )

    def published_at(self) -> datetime:
        """When the article came out: its first publication if that was on its date, else
        the start of its date (an article dated before or after it was put online)."""
        first = self.first_published_at
        if first is not None and timezone.localdate(first) == self.date:
            return first
        return day_start(self.date)

    def related_groups(self) -> list[tuple[str, list[Page]]]:
        """The live related pages, grouped by kind (residents, partners, programs), in order."""
        links = list(self.related_pages.all())
        # A related page that is not live is left out now but shows once published.
        record(*page_tags(link.page_id for link in links))
        pages = public(Page.objects.live()).filter(pk__in=[link.page_id for link in links])
        # Links show a title and a URL, which the base page has: no query per page type.
        by_id = {page.pk: page for page in pages}
        groups: dict[str, list[Page]] = {str(label): [] for label in RELATED_PAGE_TYPES.values()}
        for link in links:
            page = by_id.get(link.page_id)
            label = page.specific_class._meta.label if page and page.specific_class else None
            if label in RELATED_PAGE_TYPES:
                groups[str(RELATED_PAGE_TYPES[label])].append(page)
        return [(label, group) for label, group in groups.items() if group]


class ArticleRelatedPage(Orderable):
    """A resident, partner or program an article is about."""

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_pages")
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [PageChooserPanel("page", page_type=list(RELATED_PAGE_TYPES))]

    class Meta(Orderable.Meta):
        verbose_name = _("page liée")
        verbose_name_plural = _("pages liées")

    def clean(self) -> None:
        super().clean()
        if self.page_id is None:
            return
        page = Page.objects.filter(pk=self.page_id).only("content_type").first()
        if (
            page is None
            or page.specific_class is None
            or (page.specific_class._meta.label not in RELATED_PAGE_TYPES)
        ):
            raise ValidationError(
                {"page": _("Choisissez un résident, un partenaire ou un programme.")}
            )
