"""The newsletters menu in the Wagtail admin (wagtail-modeladmin), and the issue send buttons.

The menu groups the newsletters' own entries with those of ``subscriptions`` (subscribers,
topics, consent), which this upper layer imports.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Expression
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from ops.modeladmin import ReadOnlyPermissionHelper
from subscriptions.hooks import PREFERENCES_ACTION, PREFERENCES_CONTEXT, SUBSCRIBER_ANNOTATIONS
from subscriptions.models import Subscriber
from subscriptions.privacy import client_ip, truncate_ip
from subscriptions.wagtail_hooks import (
    ConsentEventAdmin,
    ConsentWordingAdmin,
    SubscriberAdmin,
    TopicAdmin,
)

from . import send_views
from .models import NewsletterPage, OutboxEmail, Send, Suppression
from .reminders import followed
from .reminders import services as reminder_services


class SuppressionAdmin(ModelAdmin):
    model = Suppression
    menu_label = _("Liste de blocage")
    menu_icon = "cross"
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = ("address_hash", "reason", "created_at")
    list_filter = ("reason",)


class OutboxAdmin(ModelAdmin):
    model = OutboxEmail
    menu_label = _("Boîte d'envoi")
    menu_icon = "mail"
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = ("created_at", "kind", "subject", "sent_at", "attempts", "last_error")
    list_filter = ("kind", "sent_at")


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
def page_header_send_button(page: Any, user: Any, view_name: str, next_url: str | None = None):  # type: ignore[no-untyped-def]
    if button := _send_button(page, 40):
        yield button


@hooks.register("register_page_listing_more_buttons")
def page_listing_send_button(page: Any, user: Any, next_url: str | None = None):  # type: ignore[no-untyped-def]
    if button := _send_button(page, 45):
        yield button


# --- The contest reminders' part of the subscriptions' pages (moves with the reminders) ------


@hooks.register(SUBSCRIBER_ANNOTATIONS)
def subscriber_follows_contest() -> dict[str, Expression]:
    return {"follows_contest": followed.confirmed_follow()}


@hooks.register(PREFERENCES_CONTEXT)
def preferences_followed_contests(subscriber: Subscriber) -> dict[str, Any]:
    return {"followed_contests": followed.followed_contests(subscriber)}


@hooks.register(PREFERENCES_ACTION)
def preferences_stop_contest(
    request: HttpRequest, subscriber: Subscriber
) -> tuple[dict[str, Any], int] | None:
    """The preferences page's « Ne plus recevoir ces rappels » button for one contest."""
    if "stop_contest" not in request.POST:
        return None
    try:
        contest_id = int(request.POST["stop_contest"])
    except ValueError:
        contest_id = 0
    contest = followed.followed_contest(subscriber, contest_id)
    if contest is None:
        # Not a contest they still follow: stopped already (a second click), or a forged id.
        return {
            "stop_error": _gettext("Ces rappels sont déjà arrêtés, ou ce concours est clos.")
        }, 400
    reminder_services.opt_out(subscriber, contest, client_network=truncate_ip(client_ip(request)))
    return {"stopped": contest}, 200


# The contest-vote reminders register their own admin entries.
from .reminders import wagtail_hooks as _reminder_hooks  # noqa: E402, F401
