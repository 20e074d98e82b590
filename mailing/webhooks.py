"""The sending services' bounce and complaint webhooks, at /anymail/<esp>/tracking/.

django-anymail accepts any caller when ``ANYMAIL["WEBHOOK_SECRET"]`` is empty (it only warns),
and a forged complaint unsubscribes a person and blocks the address for good. So only the
services named in ``NEWSLETTERS_ESP_WEBHOOKS`` are routed, and every call must carry the
basic-auth secret, whatever the settings: without a secret, no call is authentic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from anymail import urls as anymail_urls
from anymail.utils import get_request_basic_auth

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils.crypto import constant_time_compare
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)

_TRACKING_SUFFIX = "_tracking_webhook"


@cache
def tracking_views() -> dict[str, Callable[..., HttpResponse]]:
    """django-anymail's tracking views by service name ("postmark", "amazon_ses"...)."""
    return {
        pattern.name.removesuffix(_TRACKING_SUFFIX): pattern.callback
        for pattern in anymail_urls.urlpatterns
        if (pattern.name or "").endswith(_TRACKING_SUFFIX)
    }


def webhook_secrets() -> list[str]:
    """The accepted ``user:password`` pairs; empty when none is configured."""
    secret = getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET") or []
    secrets = [secret] if isinstance(secret, str) else list(secret)
    return [value for value in secrets if value]


def is_authentic(request: HttpRequest) -> bool:
    given = get_request_basic_auth(request)
    if not given:
        return False
    # Compare with every secret, so the time taken says nothing about which one was close.
    matches = [constant_time_compare(given, secret) for secret in webhook_secrets()]
    return any(matches)


@csrf_exempt  # The ESP posts from its own servers: the basic-auth secret authenticates it.
def tracking(request: HttpRequest, esp: str) -> HttpResponse:
    """Hand an authenticated report of a named service to django-anymail; 403 otherwise."""
    view = tracking_views().get(esp)
    if view is None or esp not in settings.NEWSLETTERS_ESP_WEBHOOKS:
        raise Http404
    if not webhook_secrets():
        logger.error("Webhook %s refusé : ANYMAIL_WEBHOOK_SECRET est vide.", esp)
        return HttpResponseForbidden()
    if not is_authentic(request):
        logger.warning("Webhook %s refusé : secret absent ou faux.", esp)
        return HttpResponseForbidden()
    return view(request)
