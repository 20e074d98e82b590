"""The outbox and the suppression list in the admin, read-only.

They are listed in the newsletters menu (``newsletters.wagtail_hooks``), at the addresses they
had when their models lived there.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wagtail_modeladmin.options import ModelAdmin

from ops.modeladmin import ReadOnlyPermissionHelper

from .models import OutboxEmail, Suppression


class SuppressionAdmin(ModelAdmin):
    model = Suppression
    base_url_path = "newsletters/suppression"
    menu_label = _("Liste de blocage")
    menu_icon = "cross"
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = ("address_hash", "reason", "created_at")
    list_filter = ("reason",)


class OutboxAdmin(ModelAdmin):
    model = OutboxEmail
    base_url_path = "newsletters/outboxemail"
    menu_label = _("Boîte d'envoi")
    menu_icon = "mail"
    permission_helper_class = ReadOnlyPermissionHelper
    list_display = ("created_at", "kind", "subject", "sent_at", "attempts", "last_error")
    list_filter = ("kind", "sent_at")
