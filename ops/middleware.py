"""Request ids for log lines, and the Content-Security-Policy with its looser admin variant."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from ops import context

logger = logging.getLogger("ops.request")

# What we accept from a proxy's X-Request-ID: short, and nothing that could break a log line.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdMiddleware:
    """Give each request an id (the proxy's ``X-Request-ID`` when sane) and log it once done.

    The id is kept in a contextvar for the log formatter and sent back in the response, so a
    visitor's report and the server's log lines can be matched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if _VALID_REQUEST_ID.match(supplied) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = context.request_id.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
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
            context.request_id.reset(token)


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
