"""``{% contest_reminder_form contest %}``: "Me rappeler de voter" on a contest's page or card."""

from __future__ import annotations

from typing import Any

from django import template

from reminders.forms import ReminderForm

register = template.Library()


@register.inclusion_tag("reminders/form.html", takes_context=True)
def contest_reminder_form(context: template.Context, contest: Any) -> dict[str, Any]:
    """An empty form for ``contest``; ids carry the contest so several fit on one page."""
    result: dict[str, Any] = {
        "form": ReminderForm(auto_id=f"rappel-{contest.pk}-%s"),
        "contest": contest,
        "request": context.get("request"),
    }
    if "csrf_token" in context:
        result["csrf_token"] = context["csrf_token"]
    return result
