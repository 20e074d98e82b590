"""Request-wide editorial rules: who is acting (for the guard), and the chamber's read-only
access to the page editing views."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .enforcement import acting_as
from .roles import is_chamber_approver


class ActingUserMiddleware:
    """Expose ``request.user`` to ``editorial.enforcement`` so an administrator's bypass is
    allowed and recorded under their name; place it after ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)


# Admin views that change pages: a chamber approver gets a plain 403 on each, rather than
# Wagtail's redirect to the dashboard, before the view even loads the page.
CHAMBER_FORBIDDEN_VIEWS = frozenset(
    {
        "wagtailadmin_pages:add",
        "wagtailadmin_pages:add_subpage",
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:copy",
        "wagtailadmin_pages:move",
        "wagtailadmin_pages:move_confirm",
        "wagtailadmin_pages:delete",
        "wagtailadmin_pages:unpublish",
        "wagtailadmin_pages:revisions_revert",
        "wagtailadmin_pages:revisions_unschedule",
        "wagtailadmin_pages:convert_alias",
        "wagtailadmin_pages:lock",
        "wagtailadmin_pages:unlock",
        "wagtailadmin_pages:set_privacy",
        "wagtailadmin_pages:set_page_position",
        "wagtailadmin_pages:preview_on_edit",
        "wagtail_bulk_action",
    }
)


class ChamberReadOnlyMiddleware:
    """Answer 403 to a chamber approver on any admin view that edits pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if (
            match
            and match.view_name in CHAMBER_FORBIDDEN_VIEWS
            and is_chamber_approver(getattr(request, "user", None))
        ):
            return TemplateResponse(request, "editorial/forbidden.html", status=403)
        return None
