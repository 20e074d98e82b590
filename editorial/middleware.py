"""Who is acting, for the publication guard (``editorial.enforcement``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .enforcement import acting_as


class ActingUserMiddleware:
    """Expose ``request.user`` to ``editorial.enforcement`` so an administrator's bypass is
    allowed and recorded under their name; place it after ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with acting_as(getattr(request, "user", None)):
            return self.get_response(request)
