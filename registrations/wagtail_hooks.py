"""The organisers' doors in the admin: the « Inscriptions » menu, a button on each event's
header and in the page listing, and the screens' URLs (``registrations.admin_views``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button

from programs.models import EventPage

from . import admin_views, permissions


@hooks.register("register_admin_urls")
def registrations_admin_urls() -> list[Any]:
    urls = [
        path("", admin_views.registrations_index, name="index"),
        path("<int:event_id>/", admin_views.event_registrations, name="event"),
        path(
            "<int:event_id>/export/<str:export_format>/",
            admin_views.export_registrations,
            name="export",
        ),
        path("<int:event_id>/message/", admin_views.message_registrants, name="message"),
        path("<int:event_id>/accueil/", admin_views.check_in, name="check_in"),
    ]
    return [
        path(
            "inscriptions/",
            include((urls, "registrations_admin"), namespace="registrations_admin"),
        )
    ]


class RegistrationsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return permissions.may_see_some_registrations(request.user)


@hooks.register("register_admin_menu_item")
def registrations_menu_item() -> MenuItem:
    return RegistrationsMenuItem(
        _("Inscriptions"),
        reverse("registrations_admin:index"),
        name="inscriptions",
        icon_name="group",
        order=250,
    )


def _registrations_button(page: Any, user: Any) -> Button | None:
    event = page.specific_deferred
    if not isinstance(event, EventPage) or not permissions.may_view(user, event):
        return None
    return Button(
        _("Inscriptions"),
        reverse("registrations_admin:event", args=[page.pk]),
        icon_name="group",
        priority=70,
    )


@hooks.register("register_page_header_buttons")
def registrations_header_button(
    page: Any, user: Any, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    if button := _registrations_button(page, user):
        yield button


@hooks.register("register_page_listing_more_buttons")
def registrations_listing_button(
    page: Any, user: Any, next_url: str | None = None
) -> Iterator[Button]:
    if button := _registrations_button(page, user):
        yield button
