"""The newsletters menu in the Wagtail admin (wagtail-modeladmin).

Subscribers are never created or edited by hand: they come from the sign-up form or a CSV
import, and leave by unsubscribing or erasure, so that the consent ledger records every change.
The ledger and the consent wordings can be read, never edited.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.admin import SimpleListFilter
from django.contrib.admin.filters import RelatedFieldListFilter
from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register
from wagtail_modeladmin.views import IndexView

from . import admin_views, send_views
from .models import (
    ConsentEvent,
    ConsentWording,
    NewsletterPage,
    OutboxEmail,
    Send,
    Subscriber,
    Suppression,
    Topic,
)
from .reminders.followed import confirmed_follow, newsletter_request


class ReadOnlyPermissionHelper(PermissionHelper):
    """List and inspect only, whatever permissions the user holds (superusers included)."""

    def user_can_create(self, user: Any) -> bool:
        return False

    def user_can_edit_obj(self, user: Any, obj: Any) -> bool:
        return False

    def user_can_delete_obj(self, user: Any, obj: Any) -> bool:
        return False


class AppendOnlyPermissionHelper(ReadOnlyPermissionHelper):
    """New records may be added (a new wording version), existing ones never changed."""

    def user_can_create(self, user: Any) -> bool:
        return PermissionHelper.user_can_create(self, user)


class SubscriberButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj: Subscriber, *args: Any, **kwargs: Any) -> list[dict]:
        buttons = super().get_buttons_for_obj(obj, *args, **kwargs)
        user = self.request.user
        if user.has_perm("newsletters.view_subscriber") or user.has_perm(
            "newsletters.change_subscriber"
        ):
            buttons.append(
                {
                    "url": reverse("newsletters_person_export", args=[obj.pk]),
                    "label": _("Exporter (JSON)"),
                    "classname": "button button-small button-secondary",
                    "title": _("Télécharger tout ce que nous détenons sur cette personne"),
                }
            )
        if user.has_perm("newsletters.delete_subscriber"):
            buttons.append(
                {
                    "url": reverse("newsletters_person_erase", args=[obj.pk]),
                    "label": _("Effacer"),
                    "classname": "button button-small no",
                    "title": _("Effacer les données personnelles de cette personne"),
                }
            )
        return buttons


class TopicListFilter(RelatedFieldListFilter):
    """The topics filter, whose choice for subscribers without a topic has a name, not "-"."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # django-stubs type it SafeString (Django's default is); any str is shown escaped.
        self.empty_value_display = _("sans thème")  # type: ignore[assignment]


class SubscriberIndexView(IndexView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        confirmed = Q(subscribers__status=Subscriber.Status.CONFIRMED)
        context["topic_counts"] = Topic.objects.annotate(
            confirmed_count=Count("subscribers", filter=confirmed)
        )
        context["can_import"] = self.request.user.has_perm("newsletters.add_subscriber")
        context["import_url"] = reverse("newsletters_import")
        return context


REMINDERS_ONLY = "rappels-uniquement"
UNCONFIRMED = "non-confirmee"


class SituationFilter(SimpleListFilter):
    """Tells a contest follower apart from a newsletter sign-up awaiting its confirmation.

    Both are "pending" subscribers: a follow needs a subscriber row, but its confirmation
    confirms the follow, not a newsletter subscription.
    """

    title = _("situation")
    parameter_name = "situation"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            (REMINDERS_ONLY, _("rappels de vote uniquement")),
            (UNCONFIRMED, _("inscription non confirmée")),
        ]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        pending = queryset.filter(status=Subscriber.Status.PENDING)
        if self.value() == REMINDERS_ONLY:
            return pending.filter(asked_newsletters=False, follows_contest=True)
        if self.value() == UNCONFIRMED:
            return pending.filter(asked_newsletters=True)
        return queryset


class SubscriberAdmin(ModelAdmin):
    model = Subscriber
    menu_label = _("Abonné·es")
    menu_icon = "user"
    index_view_class = SubscriberIndexView
    index_template_name = "newsletters/admin/subscriber_index.html"
    permission_helper_class = ReadOnlyPermissionHelper
    button_helper_class = SubscriberButtonHelper
    inspect_view_enabled = True
    inspect_view_fields = [
        "email",
        "status",
        "topics",
        "source",
        "created_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    list_display = ("email", "situation", "topic_names", "source", "created_at")
    list_filter = ("status", SituationFilter, ("topics", TopicListFilter), "source", "created_at")
    search_fields = ("email",)
    list_export = ("email", "status", "topic_names", "source", "created_at", "confirmed_at")
    export_filename = "abonnes-lettres"
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> Any:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("topics")
            .annotate(asked_newsletters=newsletter_request(), follows_contest=confirmed_follow())
        )

    # A method, not a staticmethod, so that the column reads its short_description.
    def situation(self, obj: Subscriber) -> str:
        """The status, with "pending" told apart: a sign-up to confirm, or reminders only."""
        if obj.status != Subscriber.Status.PENDING:
            return str(obj.get_status_display())
        if getattr(obj, "asked_newsletters", True):
            return str(_("inscription non confirmée"))
        if getattr(obj, "follows_contest", False):
            return str(_("rappels de vote uniquement"))
        return str(_("rappel de vote non confirmé"))

    situation.short_description = _("statut")  # type: ignore[attr-defined]

    # A method, not a staticmethod: the column label is read from the function's
    # short_description, which a staticmethod keeps to itself ("Topic names" was shown).
    def topic_names(self, obj: Subscriber) -> str:
        return ", ".join(topic.name for topic in obj.topics.all())

    topic_names.short_description = _("thèmes")  # type: ignore[attr-defined]

    def get_admin_urls_for_registration(self) -> tuple:
        return (
            *super().get_admin_urls_for_registration(),
            path(
                "newsletters/subscriber/import/",
                admin_views.import_subscribers,
                name="newsletters_import",
            ),
            path(
                "newsletters/subscriber/import/<id:pk>/",
                admin_views.import_status,
                name="newsletters_import_status",
            ),
            path(
                "newsletters/subscriber/export/<id:pk>/",
                admin_views.export_person,
                name="newsletters_person_export",
            ),
            path(
                "newsletters/subscriber/erase/<id:pk>/",
                admin_views.erase_person,
                name="newsletters_person_erase",
            ),
        )


class TopicAdmin(ModelAdmin):
    model = Topic
    menu_label = _("Thèmes")
    menu_icon = "tag"
    list_display = ("name", "slug", "is_active", "sort_order")
    search_fields = ("name", "slug")


class ConsentEventAdmin(ModelAdmin):
    model = ConsentEvent
    menu_label = _("Registre des consentements")
    menu_icon = "list-ul"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    list_display = ("occurred_at", "kind", "topics", "source", "client_network")
    list_filter = ("kind", "occurred_at")
    search_fields = ("address_hash", "source")


class ConsentWordingAdmin(ModelAdmin):
    model = ConsentWording
    menu_label = _("Textes de consentement")
    menu_icon = "doc-full"
    permission_helper_class = AppendOnlyPermissionHelper
    inspect_view_enabled = True
    list_display = ("version", "text", "created_at")


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
def page_header_send_button(
    page: Any, user: Any, view_name: str, next_url: str | None = None
) -> Iterator[Button]:
    if button := _send_button(page, 40):
        yield button


@hooks.register("register_page_listing_more_buttons")
def page_listing_send_button(page: Any, user: Any, next_url: str | None = None) -> Iterator[Button]:
    if button := _send_button(page, 45):
        yield button


# The contest-vote reminders register their own admin entries.
from .reminders import wagtail_hooks as _reminder_hooks  # noqa: E402, F401
