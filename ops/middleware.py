"""Request ids for log lines, and the Content-Security-Policy with its looser admin variant."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts
from django_guid.context import guid

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

logger = logging.getLogger("ops.request")

# What we accept from a proxy's X-Request-ID: short, and nothing that could break a log line.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    """Log each request once done, with the id django-guid gives it, and keep that id sane.

    django-guid (the next middleware) takes the proxy's ``X-Request-ID`` or makes a new one
    and returns it in the response; a supplied id is dropped first unless it is short and
    could not break a log line. The id lives only as long as its request.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # From META, not request.headers: that is cached once read, and django-guid reads it.
        if not _VALID_REQUEST_ID.match(request.META.get("HTTP_X_REQUEST_ID", "")):
            request.META.pop("HTTP_X_REQUEST_ID", None)
        token = guid.set(None)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            guid.reset(token)


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp with two policies: the strict one for the public site, a looser one for
    the Wagtail and Django admins.

    The admin still uses inline scripts and styles, ``eval`` in a few choosers, ``data:`` and
    ``blob:`` images, and frames its own preview; the public pages need none of that.
    """

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.CSP_ADMIN_PATH_PREFIXES):
            parts.config = settings.CSP_ADMIN_DIRECTIVES
            # A nonce would make browsers ignore 'unsafe-inline', which the admin needs.
            parts.nonce = None
        return parts
