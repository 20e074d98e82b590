"""« Rappels de vote » in the admin: each contest's plan, its send times and a dry run."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone

from programs.models import ContestPage

from .dispatch import plan_overview


def _editable(request: HttpRequest, contest: ContestPage) -> bool:
    return contest.permissions_for_user(request.user).can_edit()


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
