"""Public views of the reminders: ask, confirm, opt out of one contest (and stop one from the
newsletters' preferences page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from programs.models import ContestPage
from subscriptions import ratelimit
from subscriptions.models import Subscriber
from subscriptions.privacy import client_ip, truncate_ip
from subscriptions.tokens import InvalidToken
from subscriptions.views import (
    MAX_POST_BYTES,
    ConfirmLinkView,
    content_length,
    emailed_link,
    expired_link,
    invalid_link,
    rate_limited,
)

from . import followed, services
from .dispatch import reminders_to_come
from .forms import ReminderForm
from .tokens import FollowRequest, read_follow_token, read_opt_out_token


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> TemplateResponse:
    return TemplateResponse(request, f"reminders/{template}.html", context, status=status)


def _contest_or_none(contest_id: int) -> ContestPage | None:
    return ContestPage.objects.live().filter(pk=contest_id).first()


# No CSRF token, for the reason given on the newsletter sign-up view: the form only starts a
# double opt-in (nothing is followed until the address's owner clicks), it is rate-limited and
# honeypotted, and without a token the contest pages and the home page that show it can be
# served from the page cache.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def remind_me(request: HttpRequest, contest_id: int) -> HttpResponse:
    """GET shows the form on its own page; POST asks for the confirmation email."""
    contest = _contest_or_none(contest_id)
    if contest is None:
        return _page(request, "unknown_contest", {}, status=404)
    context: dict[str, Any] = {"contest": contest}
    if contest.status == "clos":
        return _page(request, "signup", context, status=400 if request.method == "POST" else 200)
    if request.method == "GET":
        return _page(request, "signup", {**context, "form": ReminderForm()})
    if content_length(request) > MAX_POST_BYTES:
        return TemplateResponse(request, "newsletters/too_large.html", {}, status=413)
    ip = client_ip(request)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        if ratelimit.hit("ip", ip):  # a refused form counts against its client too
            return rate_limited(request)
        return _page(request, "signup", {**context, "form": form}, status=400)
    address = form.cleaned_data["email"]
    if ratelimit.hit_client_then_address(ip, address):
        return rate_limited(request)
    services.request_follow(
        address, contest, page=contest.url or "", client_network=truncate_ip(ip)
    )
    return redirect("reminders:thanks", contest_id=contest.pk)


@require_GET
def thanks(request: HttpRequest, contest_id: int) -> HttpResponse:
    return _page(request, "thanks", {"contest": _contest_or_none(contest_id)})


class ConfirmFollow(ConfirmLinkView):
    """The link of the follow's confirmation email."""

    def read_token(self, token: str) -> FollowRequest:
        return read_follow_token(token)

    def ask(self, request: HttpRequest, confirmation: FollowRequest) -> HttpResponse:
        return _page(request, "confirm", {"contest": _contest_or_none(confirmation.contest_id)})

    def confirm(
        self, request: HttpRequest, confirmation: FollowRequest, client_network: str
    ) -> HttpResponse | None:
        result = services.confirm_follow(confirmation, client_network=client_network)
        if result.outcome is services.FollowOutcome.STALE:
            return None
        return _page(
            request,
            "confirmed",
            {
                "contest": result.contest,
                "already": result.outcome is services.FollowOutcome.ALREADY_CONFIRMED,
                "reminders": (
                    reminders_to_come(result.contest, result.followed_since)
                    if result.contest and result.followed_since
                    else []
                ),
            },
        )


confirm = emailed_link(ConfirmFollow.as_view())


@emailed_link
def opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners only GET); POST stops the contest's reminders."""
    try:
        subscriber_id, contest_id = read_opt_out_token(token)
    except InvalidToken:
        return invalid_link(request)
    subscriber = Subscriber.objects.filter(public_id=subscriber_id).first()
    contest = ContestPage.objects.filter(pk=contest_id).first()
    if subscriber is None or contest is None:
        return expired_link(request)
    context = {"contest": contest, "token": token}
    if request.method == "GET":
        return _page(request, "opt_out", context)
    services.opt_out(subscriber, contest, client_network=truncate_ip(client_ip(request)))
    return _page(request, "opted_out", context)


def preferences_section(
    request: HttpRequest, subscriber: Subscriber, context: dict[str, Any]
) -> int | None:
    """The contests followed, on the newsletters' preferences page, and their stop buttons.

    Registered on ``subscriptions.hooks.PREFERENCES_SECTION``; a POST of « Ne plus recevoir les
    rappels de ce concours » stops that contest and returns the page's status.
    """
    if request.method != "POST" or "stop_contest" not in request.POST:
        context["followed_contests"] = followed.followed_contests(subscriber)
        return None
    try:
        contest_id = int(request.POST["stop_contest"])
    except ValueError:
        contest_id = 0
    contest = followed.followed_contest(subscriber, contest_id)
    status = 200
    if contest is None:
        # Not a contest they still follow: stopped already (a second click), or a forged id.
        context["stop_error"] = _("Ces rappels sont déjà arrêtés, ou ce concours est clos.")
        status = 400
    else:
        services.opt_out(subscriber, contest, client_network=truncate_ip(client_ip(request)))
        context["stopped"] = contest
    context["followed_contests"] = followed.followed_contests(subscriber)
    return status
