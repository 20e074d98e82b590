"""The subscriptions' entries of the admin (wagtail-modeladmin): subscribers, topics, consent.

Subscribers are never created or edited by hand: they come from the sign-up form or a CSV
import, and leave by unsubscribing or erasure, so that the consent ledger records every change.
The ledger and the consent wordings can be read, never edited. The menu group that shows them
is the newsletters' (``newsletters.wagtail_hooks``); their URLs keep its /admin/newsletters/.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin import SimpleListFilter
from django.contrib.admin.filters import RelatedFieldListFilter
from django.db.models import BooleanField, Count, Q, Value
from django.http import HttpRequest
from django.urls import path, re_path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail_modeladmin.helpers import ButtonHelper
from wagtail_modeladmin.options import ModelAdmin
from wagtail_modeladmin.views import IndexView

from ops.modeladmin import AppendOnlyPermissionHelper, ReadOnlyPermissionHelper

from . import admin_views
from .audience import newsletter_request
from .hooks import SUBSCRIBER_ANNOTATIONS
from .models import ConsentEvent, ConsentWording, Subscriber, Topic


class SubscriberButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj: Subscriber, *args: Any, **kwargs: Any) -> list[dict]:
        buttons = super().get_buttons_for_obj(obj, *args, **kwargs)
        user = self.request.user
        if user.has_perm("subscriptions.view_subscriber") or user.has_perm(
            "subscriptions.change_subscriber"
        ):
            buttons.append(
                {
                    "url": reverse("newsletters_person_export", args=[obj.pk]),
                    "label": _("Exporter (JSON)"),
                    "classname": "button button-small button-secondary",
                    "title": _("Télécharger tout ce que nous détenons sur cette personne"),
                }
            )
        if user.has_perm("subscriptions.delete_subscriber"):
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
        context["can_import"] = self.request.user.has_perm("subscriptions.add_subscriber")
        context["import_url"] = reverse("newsletters_import")
        context["find_person_url"] = reverse("newsletters_find_person")
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
    base_url_path = "newsletters/subscriber"
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
        # ``follows_contest`` comes from the contest reminders, through SUBSCRIBER_ANNOTATIONS.
        annotations: dict[str, Any] = {"follows_contest": Value(False, BooleanField())}
        for more in hooks.get_hooks(SUBSCRIBER_ANNOTATIONS):
            annotations.update(more())
        return (
            super()
            .get_queryset(request)
            .prefetch_related("topics")
            .annotate(asked_newsletters=newsletter_request(), **annotations)
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
            path(
                "newsletters/subscriber/person/",
                admin_views.find_person,
                name="newsletters_find_person",
            ),
            re_path(
                rf"^newsletters/subscriber/person/(?P<email_hash>{admin_views.HASH_PATTERN})/export/$",
                admin_views.export_address,
                name="newsletters_person_export_address",
            ),
            re_path(
                rf"^newsletters/subscriber/person/(?P<email_hash>{admin_views.HASH_PATTERN})/erase/$",
                admin_views.erase_address,
                name="newsletters_person_erase_address",
            ),
        )


class TopicAdmin(ModelAdmin):
    base_url_path = "newsletters/topic"
    model = Topic
    menu_label = _("Thèmes")
    menu_icon = "tag"
    list_display = ("name", "slug", "is_active", "sort_order")
    search_fields = ("name", "slug")


class ConsentEventAdmin(ModelAdmin):
    base_url_path = "newsletters/consentevent"
    model = ConsentEvent
    menu_label = _("Registre des consentements")
    menu_icon = "list-ul"
    permission_helper_class = ReadOnlyPermissionHelper
    inspect_view_enabled = True
    list_display = ("occurred_at", "kind", "topics", "source", "client_network")
    list_filter = ("kind", "occurred_at")
    search_fields = ("address_hash", "source")


class ConsentWordingAdmin(ModelAdmin):
    base_url_path = "newsletters/consentwording"
    model = ConsentWording
    menu_label = _("Textes de consentement")
    menu_icon = "doc-full"
    permission_helper_class = AppendOnlyPermissionHelper
    inspect_view_enabled = True
    list_display = ("version", "text", "created_at")
