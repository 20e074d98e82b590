"""Admin entries of the reminders: a report, a button on each contest and event page header,
and their parts of the subscriptions' subscriber list and preferences page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from programs.models import ContestPage, EventPage
from subscriptions.hooks import PREFERENCES_SECTION, SUBSCRIBER_ANNOTATIONS

from . import admin_views
from .followed import confirmed_follow
from .views import preferences_section


@hooks.register("register_admin_urls")
def reminder_urls() -> list[Any]:
    return [
        path("rappels-de-vote/", admin_views.reminder_plans, name="reminders_plans"),
        path(
            "rappels-de-vote/<id:page_id>/",
            admin_views.reminder_plan,
            name="reminders_plan",
        ),
        path(
            "rappels-aux-inscrits/<id:page_id>/",
            admin_views.event_reminder_plan,
            name="reminders_event_plan",
        ),
    ]


@hooks.register("register_reports_menu_item")
def reminders_report_menu_item() -> MenuItem:
    return MenuItem(
        _("Rappels de vote"),
        reverse("reminders_plans"),
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
            reverse("reminders_plan", args=[page.pk]),
            icon_name="time",
            priority=80,
        )
    elif isinstance(page.specific_deferred, EventPage):
        yield Button(
            _("Rappels aux inscrits"),
            reverse("reminders_event_plan", args=[page.pk]),
            icon_name="time",
            priority=80,
        )


# The preferences page lists the contests followed, each with a button to stop it.
hooks.register(PREFERENCES_SECTION, preferences_section)


@hooks.register(SUBSCRIBER_ANNOTATIONS)
def subscriber_follows_contest() -> dict[str, Any]:
    """Tells the subscriber list who confirmed following a contest ("rappels uniquement")."""
    return {"follows_contest": confirmed_follow()}
