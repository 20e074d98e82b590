"""Public views of the reminders: ask, confirm, opt out of one contest."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from programs.models import ContestPage
from subscriptions import ratelimit
from subscriptions.models import Subscriber
from subscriptions.privacy import client_ip, truncate_ip
from subscriptions.tokens import ExpiredToken, InvalidToken
from subscriptions.views import (
    MAX_POST_BYTES,
    content_length,
    emailed_link,
    expired_link,
    invalid_link,
    rate_limited,
)

from . import services
from .dispatch import reminders_to_come
from .forms import ReminderForm
from .tokens import read_follow_token, read_opt_out_token


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> TemplateResponse:
    return TemplateResponse(
        request, f"newsletters/reminders/{template}.html", context, status=status
    )


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
    if ratelimit.hit("ip", ip):
        return rate_limited(request)
    form = ReminderForm(request.POST)
    if not form.is_valid():
        return _page(request, "signup", {**context, "form": form}, status=400)
    address = form.cleaned_data["email"]
    if ratelimit.hit("email", address):
        return rate_limited(request)
    services.request_follow(
        address, contest, page=contest.url or "", client_network=truncate_ip(ip)
    )
    return redirect("newsletters:reminder_thanks", contest_id=contest.pk)


@require_GET
def thanks(request: HttpRequest, contest_id: int) -> HttpResponse:
    return _page(request, "thanks", {"contest": _contest_or_none(contest_id)})


@emailed_link
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        follow_request = read_follow_token(token)
    except ExpiredToken:
        return expired_link(request)
    except InvalidToken:
        return invalid_link(request)
    if request.method == "GET":
        contest = _contest_or_none(follow_request.contest_id)
        return _page(request, "confirm", {"contest": contest})
    result = services.confirm_follow(follow_request, client_network=truncate_ip(client_ip(request)))
    if result.outcome is services.FollowOutcome.STALE:
        return expired_link(request)
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
