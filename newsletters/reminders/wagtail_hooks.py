"""Admin entries of the reminders: a report, and a button on each contest page's header.

Imported by ``newsletters/wagtail_hooks.py``, which Wagtail loads.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from programs.models import ContestPage

from . import admin_views


@hooks.register("register_admin_urls")
def reminder_urls() -> list[Any]:
    return [
        path("rappels-de-vote/", admin_views.reminder_plans, name="newsletters_reminder_plans"),
        path(
            "rappels-de-vote/<id:page_id>/",
            admin_views.reminder_plan,
            name="newsletters_reminder_plan",
        ),
    ]


@hooks.register("register_reports_menu_item")
def reminders_report_menu_item() -> MenuItem:
    return MenuItem(
        _("Rappels de vote"),
        reverse("newsletters_reminder_plans"),
        name="rappels-de-vote",
        icon_name="time",
        order=900,
    )


@hooks.register("register_page_header_buttons")
def reminder_plan_button(
    page: Any, user: Any, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    if isinstance(page.specific_deferred, ContestPage):
        yield Button(
            _("Rappels de vote"),
            reverse("newsletters_reminder_plan", args=[page.pk]),
            icon_name="time",
            priority=80,
        )
