"""The admin's password reset, throttled: each request sends an email to the address typed."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect

from wagtail.admin.views.account import PasswordResetView

from ops import ratelimit

logger = logging.getLogger(__name__)


class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's password reset, limited per client address and per email address.

    Past a limit the visitor sees the same "check your inbox" page as always, so the limit
    reveals nothing about the address, but no email goes out.
    """

    def form_valid(self, form: object) -> HttpResponse:
        limits = settings.PASSWORD_RESET_RATE_LIMITS
        # Only REMOTE_ADDR is trusted (see subscriptions.privacy.client_ip).
        client = self.request.META.get("REMOTE_ADDR", "") or ""
        address = form.cleaned_data["email"]  # type: ignore[attr-defined]
        by_client = ratelimit.hit("password-reset:ip", client, *limits["ip"])
        by_address = ratelimit.hit("password-reset:email", address, *limits["email"])
        if by_client or by_address:
            logger.warning(
                "Réinitialisation de mot de passe refusée (limite par %s atteinte) pour %s.",
                "client" if by_client else "adresse",
                client,
            )
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
