"""Wagtail pages are cacheable: each records itself and its children's listing as it is served."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from wagtail import hooks
from wagtail.models import Page

from . import tags as tagging

ServeChain = Callable[[Page, HttpRequest, Any, Any], HttpResponse]


@hooks.register("on_serve_page")
def record_served_page(next_serve_page: ServeChain) -> ServeChain:
    def serve(page: Page, request: HttpRequest, args: Any, kwargs: Any) -> HttpResponse:
        # Listings show the page's children; a page that lists none loses nothing by it.
        tagging.record(f"page:{page.pk}", f"children:{page.path}")
        tagging.mark_cacheable()
        return next_serve_page(page, request, args, kwargs)

    return serve
