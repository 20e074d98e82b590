"""Public views: sign-up, confirmation, preferences and (one-click) unsubscription."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django.views.generic import View

from wagtail import hooks

from . import ratelimit, services
from .audience import asked_for_newsletters
from .forms import PreferencesForm, SignupForm
from .hooks import PREFERENCES_SECTION
from .models import Subscriber
from .privacy import client_ip, truncate_ip
from .tokens import (
    ConfirmationRequest,
    ExpiredToken,
    InvalidToken,
    read_confirmation_token,
    read_personal_token,
)

# A sign-up is a few hundred bytes; anything much bigger is not a person filling in a form.
MAX_POST_BYTES = 16 * 1024


def _page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> TemplateResponse:
    return TemplateResponse(request, f"newsletters/{template}.html", context or {}, status=status)


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def rate_limited(request: HttpRequest) -> TemplateResponse:
    response = _page(request, "rate_limited", status=429)
    response["Retry-After"] = "3600"
    return response


def invalid_link(request: HttpRequest) -> TemplateResponse:
    return _page(request, "link_invalid", status=400)


def expired_link(request: HttpRequest) -> TemplateResponse:
    return _page(request, "link_expired", status=410)


def emailed_link(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """For a link sent by email that acts (confirm, unsubscribe): GET asks, only POST acts.

    Mail filters and link previewers open every link in a message, so a GET must change
    nothing: it shows a page whose one button POSTs to the same address. The signed token in
    the address is the credential, so the POST needs no CSRF token (nor a cookie): a forged
    one can only do what the link's owner can, and RFC 8058 clients POST without a token.
    These pages are personal, never cached.
    """
    return csrf_exempt(never_cache(require_http_methods(["GET", "POST"])(view)))


# No CSRF check: the form is on every public page, and those pages are cached and served to
# every visitor, so it cannot carry a per-visitor token. CSRF protects actions taken with a
# visitor's session or credentials; a sign-up uses neither. A forged submission can only do
# what anyone can do by filling in the form: start a double opt-in, which sends a confirmation
# to the address and subscribes no one until its owner clicks. Sign-ups are rate-limited per
# client address and per email address, and a honeypot field turns away robots.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, "signup", {"form": SignupForm(initial={"source": request.path})})
    if content_length(request) > MAX_POST_BYTES:
        return _page(request, "too_large", status=413)
    ip = client_ip(request)
    form = SignupForm(request.POST)
    if not form.is_valid():
        if ratelimit.hit("ip", ip):  # a refused form counts against its client too
            return rate_limited(request)
        return _page(request, "signup", {"form": form}, status=400)
    data = form.cleaned_data
    # The client's count, then the address's, in one round trip (see ``ops.ratelimit``).
    if ratelimit.hit_client_then_address(ip, data["email"]):
        return rate_limited(request)
    services.request_subscription(
        data["email"],
        data["topics"],
        data["consent_version"],
        source=f"page {data['source']}",
        client_network=truncate_ip(ip),
    )
    return redirect("subscriptions:thanks")


@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    return _page(request, "thanks")


class ConfirmLinkView(View):
    """Behind an emailed confirmation link: GET asks, POST confirms (wrap in ``emailed_link``).

    A forged link, an expired one and one made stale since (``confirm`` returns None) get the
    same pages whatever is confirmed; subclasses say how to read the token and what to show.
    """

    def read_token(self, token: str) -> Any:
        raise NotImplementedError

    def ask(self, request: HttpRequest, confirmation: Any) -> HttpResponse:
        raise NotImplementedError

    def confirm(
        self, request: HttpRequest, confirmation: Any, client_network: str
    ) -> HttpResponse | None:
        raise NotImplementedError

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            confirmation = self.read_token(kwargs["token"])
        except ExpiredToken:
            return expired_link(request)
        except InvalidToken:
            return invalid_link(request)
        if request.method == "GET":
            return self.ask(request, confirmation)
        response = self.confirm(request, confirmation, truncate_ip(client_ip(request)))
        return expired_link(request) if response is None else response


class ConfirmSubscription(ConfirmLinkView):
    def read_token(self, token: str) -> ConfirmationRequest:
        return read_confirmation_token(token)

    def ask(self, request: HttpRequest, confirmation: ConfirmationRequest) -> HttpResponse:
        return _page(request, "confirm")

    def confirm(
        self, request: HttpRequest, confirmation: ConfirmationRequest, client_network: str
    ) -> HttpResponse | None:
        outcome = services.confirm(confirmation, client_network=client_network)
        if outcome is services.ConfirmOutcome.STALE:
            return None
        already = outcome is services.ConfirmOutcome.ALREADY_CONFIRMED
        return _page(request, "confirmed", {"already": already, "token": self.kwargs["token"]})


confirm = emailed_link(ConfirmSubscription.as_view())


def _subscriber_from_personal_token(token: str) -> Subscriber | None:
    """The subscriber a personal link names; raises InvalidToken if the link is forged."""
    return Subscriber.objects.filter(public_id=read_personal_token(token)).first()


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """The personal page: change topics, and whatever other apps add (``subscriptions.hooks``)."""
    try:
        subscriber = _subscriber_from_personal_token(token)
    except InvalidToken:
        return invalid_link(request)
    if subscriber is None:
        return expired_link(request)
    context: dict[str, Any] = {
        "subscriber": subscriber,
        "token": token,
        "saved": False,
        "asked_for_newsletters": asked_for_newsletters(subscriber),
    }
    for section in hooks.get_hooks(PREFERENCES_SECTION):
        status = section(request, subscriber, context)
        if status is not None:  # a button of that section's own: it has acted
            if subscriber.status == Subscriber.Status.CONFIRMED:
                context["form"] = PreferencesForm(initial={"topics": list(subscriber.topics.all())})
            return _page(request, "preferences", context, status=status)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        return _page(request, "preferences", context)
    if request.method == "POST":
        if content_length(request) > MAX_POST_BYTES:
            return _page(request, "too_large", status=413)
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.change_topics(
                subscriber,
                form.cleaned_data["topics"],
                source=_("page de préférences"),
                client_network=truncate_ip(client_ip(request)),
            )
            context["saved"] = True
        else:
            context["form"] = form
            return _page(request, "preferences", context, status=400)
    context["form"] = PreferencesForm(initial={"topics": list(subscriber.topics.all())})
    return _page(request, "preferences", context)


@emailed_link  # RFC 8058: mail clients POST here without a token or a session.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners only GET); POST unsubscribes at once."""
    try:
        subscriber = _subscriber_from_personal_token(token)
    except InvalidToken:
        return invalid_link(request)
    if request.method == "GET":
        if subscriber is None:
            return expired_link(request)
        return _page(request, "unsubscribe", {"subscriber": subscriber, "token": token})
    if subscriber is not None:
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        services.unsubscribe(
            subscriber,
            source=_("désinscription en un clic") if one_click else _("page de désinscription"),
            client_network=truncate_ip(client_ip(request)),
        )
    # An erased address is already unsubscribed: answer the same way.
    return _page(request, "unsubscribed")
