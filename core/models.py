"""The base of every public page, and ``public()``, which listings use to hide private pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

from django.db import models
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from .routing import route, view_restrictions_exist

META_DESCRIPTION_LENGTH = 200


QS = TypeVar("QS", bound=PageQuerySet)


def public(queryset: QS) -> QS:
    """``queryset.public()`` without its query on view restrictions when there are none.

    Wagtail's ``public()`` reads every restriction each time it is called; listings call it
    on every render, and most sites have no private page.
    """
    return queryset.public() if view_restrictions_exist() else queryset


class BasePage(Page):
    """Fields and behaviour every public page has: a sharing image and a meta description.

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

    promote_panels = [*Page.promote_panels, FieldPanel("social_image")]

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
        """The page's summary for search results and sharing cards.

        The editor's search description wins; otherwise the page's introduction, when the page
        type has one, cut to a length that sharing cards show whole.
        """
        text = self.search_description or strip_tags(str(getattr(self, "introduction", "") or ""))
        return Truncator(" ".join(text.split())).chars(META_DESCRIPTION_LENGTH)
