"""The reminders in the admin: each contest's plan (« Rappels de vote ») and each registered
event's (« Rappels aux inscrits »), with their send times and a dry run."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from programs.models import ContestPage, EventPage
from registrations.models import Registration

from . import events
from .dispatch import plan_overview


def _editable(request: HttpRequest, page: ContestPage | EventPage) -> bool:
    return page.permissions_for_user(request.user).can_edit()


def reminder_plans(request: HttpRequest) -> HttpResponse:
    """Every contest not yet closed that the user may edit, with its plan."""
    contests = [
        contest
        for contest in ContestPage.objects.filter(vote_closes_at__gt=timezone.now()).order_by(
            "vote_closes_at", "pk"
        )
        if _editable(request, contest)
    ]
    context: dict[str, Any] = {"plans": [(c, plan_overview(c)) for c in contests]}
    return TemplateResponse(request, "reminders/admin/plans.html", context)


def reminder_plan(request: HttpRequest, page_id: int) -> HttpResponse:
    """One contest's plan, closed or not."""
    contest = get_object_or_404(ContestPage, pk=page_id)
    if not _editable(request, contest):
        raise PermissionDenied
    context = {"plans": [(contest, plan_overview(contest))], "single": contest}
    return TemplateResponse(request, "reminders/admin/plans.html", context)


def event_reminder_plan(request: HttpRequest, page_id: int) -> HttpResponse:
    """One event's reminders: when each goes, its state, whom it reached or would reach."""
    event = get_object_or_404(EventPage, pk=page_id)
    if not _editable(request, event):
        raise PermissionDenied
    context = {
        "event": event,
        "rows": events.plan_overview(event),
        "confirmed": Registration.objects.confirmed().filter(event=event).count(),
    }
    return TemplateResponse(request, "reminders/admin/event_plan.html", context)
