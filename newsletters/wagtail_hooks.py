"""The newsletters menu in the Wagtail admin (wagtail-modeladmin), and the issue send buttons.

The menu groups the newsletters' own entries with those of ``subscriptions`` (subscribers,
topics, consent), which this upper layer imports.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from mailing.modeladmin import OutboxAdmin, SuppressionAdmin
from ops.modeladmin import ReadOnlyPermissionHelper
from subscriptions.wagtail_hooks import (
    ConsentEventAdmin,
    ConsentWordingAdmin,
    SubscriberAdmin,
    TopicAdmin,
)

from . import send_views
from .models import NewsletterPage, Send


class SendButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj: Send, *args: Any, **kwargs: Any) -> list[dict]:
        return [
            {
                "url": reverse("newsletters_send_progress", args=[obj.pk]),
                "label": _("Suivi"),
                "classname": "button button-small button-secondary",
                "title": _("Progression de cet envoi"),
            }
        ]


class SendAdmin(ModelAdmin):
    model = Send
    menu_label = _("Envois")
    menu_icon = "mail"
    permission_helper_class = ReadOnlyPermissionHelper
    button_helper_class = SendButtonHelper
    list_display = ("subject", "topic", "status", "scheduled_at", "recipient_count")
    list_filter = ("status", "topic")
    search_fields = ("subject",)


@modeladmin_register
class NewslettersGroup(ModelAdminGroup):
    menu_label = _("Lettres d'information")
    menu_icon = "mail"
    menu_order = 300
    items = (
        SendAdmin,
        SubscriberAdmin,
        TopicAdmin,
        ConsentEventAdmin,
        ConsentWordingAdmin,
        SuppressionAdmin,
        OutboxAdmin,
    )


@hooks.register("register_admin_urls")
def register_send_urls() -> list:
    return [
        path(
            "newsletters/issue/<id:page_id>/send/",
            send_views.issue_send,
            name="newsletters_issue_send",
        ),
        path(
            "newsletters/issue/<id:page_id>/send/summary/",
            send_views.issue_send_summary,
            name="newsletters_issue_send_summary",
        ),
        path(
            "newsletters/issue/<id:page_id>/send/confirm/",
            send_views.issue_send_confirm,
            name="newsletters_issue_send_confirm",
        ),
        path(
            "newsletters/issue/<id:page_id>/send/test/",
            send_views.issue_send_test,
            name="newsletters_issue_send_test",
        ),
        path(
            "newsletters/issue/<id:page_id>/preview/<str:kind>/",
            send_views.issue_preview,
            name="newsletters_issue_preview",
        ),
        path(
            "newsletters/send/<id:send_id>/",
            send_views.send_progress,
            name="newsletters_send_progress",
        ),
        # Before the controls' pattern, which would take "counts" for an action.
        path(
            "newsletters/send/<id:send_id>/counts/",
            send_views.send_progress_counts,
            name="newsletters_send_progress_counts",
        ),
        path(
            "newsletters/send/<id:send_id>/<str:action>/",
            send_views.send_control,
            name="newsletters_send_control",
        ),
    ]


def _send_button(page: Any, priority: int) -> Button | None:
    if not isinstance(page.specific_deferred, NewsletterPage):
        return None
    return Button(
        _("Envoi de la lettre"),
        url=reverse("newsletters_issue_send", args=[page.pk]),
        icon_name="mail",
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def page_header_send_button(
    page: Any, user: Any, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    if button := _send_button(page, 40):
        yield button


@hooks.register("register_page_listing_more_buttons")
def page_listing_send_button(page: Any, user: Any, next_url: str | None = None) -> Iterator[Button]:
    if button := _send_button(page, 45):
        yield button
