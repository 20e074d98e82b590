"""Public views: register for an event, the answer, and cancel by the emailed link."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from ops import ratelimit
from ops.site_url import absolute_url
from programs.models import EventPage
from subscriptions.privacy import client_ip
from subscriptions.tokens import InvalidToken, SignedLink
from subscriptions.views import MAX_POST_BYTES, content_length, emailed_link, rate_limited

from . import services
from .forms import RegistrationForm
from .models import Registration
from .tokens import read_cancel_token

#: The answer page's address carries what it says, signed so that nobody makes the site say
#: something it did not (it names no one: a duplicate gets the same answer as a newcomer).
_RESULT = SignedLink("registrations.result")


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> TemplateResponse:
    return TemplateResponse(request, f"registrations/{template}.html", context, status=status)


def _event_or_none(event_id: int) -> EventPage | None:
    return EventPage.objects.live().filter(pk=event_id).select_related("program").first()


def same_origin(request: HttpRequest) -> bool:
    """Whether a POST comes from a page of this site (or carries no Origin, as old browsers).

    The form is CSRF-exempt so that the pages showing it can be cached for every visitor;
    a browser's Origin header still tells a form posted from another site, which is refused.
    """
    origin = request.headers.get("Origin")
    if not origin:
        return True
    own = {
        f"{request.scheme}://{request.get_host()}",
        urlsplit(absolute_url("/"))._replace(path="", query="", fragment="").geturl(),
    }
    return origin in own or origin in settings.CSRF_TRUSTED_ORIGINS


def _rate_limited_ip(request: HttpRequest) -> bool:
    limit = settings.REGISTRATIONS_RATE_LIMIT_IP
    return ratelimit.hit("registrations:rate:ip", client_ip(request), limit, 3600)


# No CSRF token, for the reason given on the newsletter sign-up view: the form is on the event
# page, which is cached and served to every visitor. Registering uses no session and no
# credential; it is rate-limited per client address, honeypotted, and refused when the
# browser says it was posted from another site (Origin).
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest, event_id: int) -> HttpResponse:
    """GET shows the form on its own page; POST registers and redirects to the answer."""
    event = _event_or_none(event_id)
    if event is None:
        return _page(request, "unknown_event", {}, status=404)
    state = services.registration_state(event)
    waiting = state is services.State.WAITING_LIST
    context: dict[str, Any] = {"event": event, "state": state, "waiting": waiting}
    if not state.is_open:
        return _page(request, "closed", context, status=200 if request.method == "GET" else 409)
    if request.method == "GET":
        return _page(request, "register", {**context, "form": RegistrationForm(event)})
    if not same_origin(request):
        return _page(request, "foreign_origin", context, status=403)
    if content_length(request) > MAX_POST_BYTES:
        return TemplateResponse(request, "newsletters/too_large.html", {}, status=413)
    if _rate_limited_ip(request):
        return rate_limited(request)
    form = RegistrationForm(event, request.POST)
    if not form.is_valid():
        return _page(request, "register", {**context, "form": form}, status=400)
    data = form.cleaned_data
    outcome = services.register(
        event,
        name=data["name"],
        email=data["email"],
        phone=data["phone"],
        answers=form.answers(),
        consent_text=str(form.fields["consent"].label),
    )
    if outcome.status == "closed":
        return _page(request, "closed", {**context, "state": outcome.state}, status=409)
    token = _RESULT.make({"e": event.pk, "s": outcome.page_status, "p": outcome.page_position})
    response = redirect("registrations:result", token=token)
    response.status_code = 303
    return response


@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    """« Inscription confirmée » or « Vous êtes sur liste d'attente (position N) »."""
    try:
        event_id, status, position = _RESULT.read(
            token, lambda p: (int(p["e"]), str(p["s"]), p["p"])
        )
    except InvalidToken:
        return _page(request, "link_invalid", {}, status=400)
    event = _event_or_none(event_id)
    return _page(
        request,
        "result",
        {"event": event, "waiting": status == "waiting", "position": position},
    )


def _registration_for(token: str) -> Registration | None:
    """The registration the link names; raises InvalidToken for a forged link."""
    request = read_cancel_token(token)
    return (
        Registration.objects.filter(pk=request.registration_id, anonymised_at__isnull=True)
        .filter(address_hash__startswith=request.address_hash)
        .select_related("event")
        .first()
    )


@emailed_link
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (mail scanners open links); POST cancels."""
    try:
        registration = _registration_for(token)
    except InvalidToken:
        return _page(request, "link_invalid", {}, status=400)
    if registration is None:
        return _page(request, "link_invalid", {}, status=404)
    event = registration.event
    context: dict[str, Any] = {"event": event, "registration": registration}
    if registration.status == Registration.Status.CANCELLED:
        return _page(request, "cancelled", {**context, "already": True})
    if event.start <= timezone.now():
        return _page(
            request, "cancel_too_late", context, status=200 if request.method == "GET" else 409
        )
    if request.method == "GET":
        return _page(request, "cancel", context)
    services.cancel(registration)
    return _page(request, "cancelled", {**context, "already": False})
