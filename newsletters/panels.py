"""An edit-page panel that says whether the issue can be sent, and why not."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from wagtail.admin.panels import Panel


class SendStatusPanel(Panel):
    """Shows the sending rules' verdict on the saved page, with a link to the sending page."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsletters/admin/send_status_panel.html"

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            from .models import NewsletterPage
            from .sending import sendability_problems

            context = super().get_context_data(parent_context)
            saved = NewsletterPage.objects.filter(pk=self.instance.pk).first()
            if saved is None:
                from django.utils.translation import gettext as _

                context["problems"] = [_("Enregistrez puis faites approuver la lettre.")]
                return context
            context["problems"] = sendability_problems(saved)
            context["send_url"] = reverse("newsletters_issue_send", args=[saved.pk])
            return context
