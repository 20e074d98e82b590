"""What the programs app's index pages share: an introduction, one instance, pagination."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from core.images import images_with_renditions
from core.models import BasePage
from editorial.mixins import JointContentMixin


def with_card_image(queryset: QuerySet[Any], field: str, profile: str) -> QuerySet[Any]:
    """Fetch the image behind ``field`` and the renditions of image profile ``profile`` (see
    core.images, the one its card template names) in two queries, for any count."""
    return queryset.prefetch_related(Prefetch(field, queryset=images_with_renditions(profile)))


def paginate(request: HttpRequest, items: QuerySet[Any], per_page: int) -> PaginatorPage:
    """The requested page of ``items``; a missing, malformed or out-of-range number never fails."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


class ListingPage(JointContentMixin, BasePage):
    """An index page directly under the home page, introducing and listing its children."""

    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("Quelques phrases affichées sous le titre, avant la liste."),
    )

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    parent_page_types = ["home.HomePage"]
    max_count = 1

    class Meta:
        abstract = True
