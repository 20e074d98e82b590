"""The base of every public page, and ``public()``, which listings use to hide private pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import HttpRequest
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from .routing import route, view_restrictions_exist
from .text import plain_text, shorten

META_DESCRIPTION_LENGTH = 200


QS = TypeVar("QS", bound=PageQuerySet)


def public(queryset: QS) -> QS:
    """``queryset.public()`` without its query on view restrictions when there are none.

    Wagtail's ``public()`` reads every restriction each time it is called; listings call it
    on every render, and most sites have no private page.
    """
    return queryset.public() if view_restrictions_exist() else queryset


class SearchDescriptionPanel(FieldPanel):
    """The search description field, whose help text tells the editor what the page says to
    search engines when it is left empty: that depends on the page type
    (``BasePage.description_sources``), known once the panel is bound to it."""

    help_text: str

    def on_model_bound(self) -> None:
        super().on_model_bound()
        if not self.help_text and issubclass(self.model, BasePage):
            self.help_text = self.model.search_description_help()


class BasePage(Page):
    """Fields and behaviour every public page has: a sharing image, a meta description and
    structured data for search engines.

    The joint-content marker comes from ``editorial.mixins.JointContentMixin``, which every
    page type puts before this base.
    """

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image de partage"),
        help_text=_("Image montrée lorsque la page est partagée sur les réseaux sociaux."),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    #: Where the meta description comes from when the editor leaves the search description
    #: empty: these fields in turn, the first that has text (plain text, rich text, or a
    #: stream's first paragraph); then ``generated_description()``. Page types name theirs.
    description_sources: ClassVar[tuple[str, ...]] = ("introduction",)
    #: What ``generated_description()`` says, for the editor's help text.
    generated_description_hint: ClassVar[str | Promise] = _(
        "une phrase reprenant le titre de la page"
    )

    # Wagtail's promote tab, with the search description's help text for this page type.
    promote_panels = [
        MultiFieldPanel(
            [
                FieldPanel("slug"),
                FieldPanel("seo_title"),
                SearchDescriptionPanel("search_description"),
            ],
            heading=_("Pour les moteurs de recherche"),
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading=_("Pour les menus du site")),
        FieldPanel("social_image"),
    ]

    #: Related rows the page's template shows, loaded with the page when a URL is routed to it
    #: (``core.routing``) instead of one query each while it renders.
    serve_select_related: ClassVar[tuple[str, ...]] = ("social_image",)
    #: Set by a kept route (``core.routing``) built when no page was private and still fresh.
    known_unrestricted = False

    class Meta:
        abstract = True

    def route(self, request: HttpRequest, path_components: Sequence[str]) -> Any:
        """From the site's root page, route in one query through the routes this process
        keeps (``core.routing``); below it, Wagtail's own routing."""
        site = Site.find_for_request(request)
        if path_components and site is not None and site.root_page_id == self.pk:
            return route(self, request, path_components, super().route)
        return super().route(request, path_components)

    def get_view_restrictions(self) -> PageViewRestriction:
        """Wagtail checks the page's and its ancestors' restrictions on every view (two
        queries); most sites have none, so first ask the cache whether any exists at all."""
        if self.known_unrestricted or not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    @property
    def meta_description(self) -> str:
        """The page's summary for search results and sharing cards, never empty.

        The editor's search description wins; otherwise ``default_description()``; cut to a
        length that sharing cards show whole.
        """
        text = plain_text(self.search_description) or self.default_description()
        return shorten(text, META_DESCRIPTION_LENGTH)

    def default_description(self) -> str:
        """The summary when the editor wrote no search description: the first of the page
        type's ``description_sources`` that has text, else a generated sentence."""
        for name in self.description_sources:
            text = plain_text(getattr(self, name, None))
            if text:
                return text
        return plain_text(self.generated_description())

    def generated_description(self) -> str:
        """A sentence that describes the page when none of its fields does; page types say
        more (an event its date and place, an index what it lists). It reads only the page's
        own fields: search results show it for pages of every type, without a query each."""
        return gettext(
            "« %(title)s », une page du Carburateur, pôle entrepreneurial des quartiers Nord "
            "de Marseille."
        ) % {"title": self.title}

    @classmethod
    def search_description_help(cls) -> str:
        """The search description's help text: what is used when it is left empty."""
        return _search_description_help(cls)

    def structured_data(self, request: HttpRequest) -> dict[str, Any] | None:
        """What the page is, for search engines (schema.org, see ``core.structured_data``),
        or None; page types that match a schema.org type say so."""
        return None


def _source_name(page_class: type[BasePage], name: str) -> str:
    """« le champ « Résumé » », « le premier paragraphe de « Contenu » »: a source as the help
    text names it."""
    try:
        field = page_class._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    label = str(getattr(field, "verbose_name", name))
    label = label[:1].upper() + label[1:]
    if isinstance(field, StreamField):
        return gettext("le premier paragraphe de « %(field)s »") % {"field": label}
    return gettext("le champ « %(field)s »") % {"field": label}


def _build_search_description_help(page_class: type[BasePage]) -> str:
    sources = [_source_name(page_class, name) for name in page_class.description_sources]
    sources.append(str(page_class.generated_description_hint))
    return gettext(
        "Le texte que les moteurs de recherche montrent sous le titre de la page, en deux "
        "phrases (%(length)s caractères au plus). Laissé vide : %(sources)s."
    ) % {"length": META_DESCRIPTION_LENGTH, "sources": gettext(", sinon ").join(sources)}


# Built when shown, in the admin user's language, rather than when the panel is bound.
_search_description_help = lazy(_build_search_description_help, str)
