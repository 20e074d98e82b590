"""Admin views for sending an issue: previews, tests, the send itself and its live progress."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mailing.addresses import address_hash, normalise_address
from mailing.models import OutboxEmail
from mailing.outbox import queue_email

from . import sending
from .models import NewsletterPage, Send
from .rendering import preview_response, test_messages

SEND_PERMISSION = "newsletters.add_send"
CONTROL_PERMISSION = "newsletters.change_send"


class SendForm(forms.Form):
    """Now, or at a date and time in Marseille."""

    when = forms.ChoiceField(
        label=_("Quand ?"),
        choices=[("now", _("Maintenant")), ("later", _("À une date et une heure"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    scheduled_at = forms.DateTimeField(
        label=_("Date et heure (heure de Paris)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Saisissez une date et une heure valides.")},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("when") == "later":
            moment = data.get("scheduled_at")
            if moment is None:
                if "scheduled_at" not in self.errors:
                    self.add_error("scheduled_at", _("Indiquez la date et l'heure de l'envoi."))
            elif moment <= timezone.now():
                self.add_error("scheduled_at", _("Choisissez un moment dans le futur."))
        else:
            data["scheduled_at"] = None
        return data


def _issue(request: HttpRequest, page_id: int, *, permission: str | None = None) -> Any:
    page: NewsletterPage = get_object_or_404(
        NewsletterPage.objects.select_related("topic"), pk=page_id
    )
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if permission and not request.user.has_perm(permission):
        raise PermissionDenied
    return page


def _send_page_context(request: HttpRequest, page: NewsletterPage) -> dict[str, Any]:
    problems = sending.sendability_problems(page)
    return {
        "page": page,
        "problems": problems,
        "can_send": request.user.has_perm(SEND_PERMISSION),
        "recipient_count": sending.recipient_count(page),
        "sends": Send.objects.filter(page=page).order_by("-created_at")[:20],
        "test_addresses": _test_addresses(request.user),
    }


@require_GET
def issue_send(request: HttpRequest, page_id: int) -> HttpResponse:
    """The issue's sending page: why it can or cannot go, previews, test, send form."""
    page = _issue(request, page_id)
    context = _send_page_context(request, page)
    context["form"] = SendForm()
    return TemplateResponse(request, "newsletters/admin/issue_send.html", context)


@require_POST
def issue_send_summary(request: HttpRequest, page_id: int) -> HttpResponse:
    """Step two: the summary (topic, recipients, subject, moment) and the confirm button."""
    page = _issue(request, page_id, permission=SEND_PERMISSION)
    form = SendForm(request.POST)
    context = _send_page_context(request, page)
    if context["problems"]:
        return _refused(request, page, context["problems"])
    if not form.is_valid():
        context["form"] = form
        return TemplateResponse(request, "newsletters/admin/issue_send.html", context, status=400)
    context.update(form=form, scheduled_at=form.cleaned_data["scheduled_at"])
    return TemplateResponse(request, "newsletters/admin/send_confirm.html", context)


@require_POST
def issue_send_confirm(request: HttpRequest, page_id: int) -> HttpResponse:
    """Step three: create the send. The rules are checked again, whatever was posted."""
    page = _issue(request, page_id, permission=SEND_PERMISSION)
    form = SendForm(request.POST)
    if not form.is_valid():
        context = _send_page_context(request, page)
        context["form"] = form
        return TemplateResponse(request, "newsletters/admin/issue_send.html", context, status=400)
    try:
        send = sending.create_send(page, request.user, form.cleaned_data["scheduled_at"])
    except sending.NotSendable as refusal:
        return _refused(request, page, refusal.reasons)
    if form.cleaned_data["scheduled_at"]:
        messages.success(request, _("L'envoi est programmé."))
    else:
        messages.success(request, _("L'envoi a commencé."))
    return redirect("newsletters_send_progress", send.pk)


def _refused(request: HttpRequest, page: NewsletterPage, reasons: list[str]) -> HttpResponse:
    return TemplateResponse(
        request,
        "newsletters/admin/send_refused.html",
        {"page": page, "problems": reasons},
        status=400,
    )


def _test_addresses(user: Any) -> list[str]:
    addresses: list[str] = []
    for address in [getattr(user, "email", ""), *settings.NEWSLETTERS_TEST_ADDRESSES]:
        try:
            validate_email(address)
        except ValidationError:
            continue
        if address.lower() not in {known.lower() for known in addresses}:
            addresses.append(address)
    return addresses


@require_POST
def issue_send_test(request: HttpRequest, page_id: int) -> HttpResponse:
    """ "Envoyer un test": the latest version, to the editor and the test addresses."""
    page = _issue(request, page_id, permission=SEND_PERMISSION)
    addresses = _test_addresses(request.user)
    if not addresses:
        messages.error(
            request,
            _("Aucune adresse de test : renseignez votre adresse dans votre compte."),
        )
        return redirect("newsletters_issue_send", page.pk)
    draft = page.get_latest_revision_as_object()
    for message in test_messages(draft, addresses):
        queue_email(
            OutboxEmail(
                kind="newsletter_test",
                address_hash=address_hash(normalise_address(message.to[0])),
                to=message.to[0],
                subject=message.subject[:255],
                # Both rendered by Personaliser.build, as str.
                body_text=cast(str, message.body),
                body_html=cast(str, message.alternatives[0][0]),
                headers=dict(message.extra_headers),
            )
        )
    messages.success(
        request, _("Test envoyé à : %(addresses)s.") % {"addresses": ", ".join(addresses)}
    )
    return redirect("newsletters_issue_send", page.pk)


@require_GET
def issue_preview(request: HttpRequest, page_id: int, kind: str) -> HttpResponse:
    """The latest version of the email, in HTML or in plain text."""
    if kind not in ("html", "text"):
        raise Http404
    page = _issue(request, page_id)
    return preview_response(page.get_latest_revision_as_object(), html=kind == "html")


def _send_for(request: HttpRequest, send_id: int) -> Send:
    send = get_object_or_404(Send.objects.select_related("page", "topic"), pk=send_id)
    _issue(request, send.page_id)
    return send


@require_GET
def send_progress(request: HttpRequest, send_id: int) -> HttpResponse:
    """Live counts, rate and time left; the counts refresh themselves while the send runs."""
    send = _send_for(request, send_id)
    return TemplateResponse(
        request,
        "newsletters/admin/send_progress.html",
        {
            **_counts_context(send),
            "can_control": request.user.has_perm(CONTROL_PERMISSION),
            "refresh": send.is_active,
        },
    )


@require_GET
def send_progress_counts(request: HttpRequest, send_id: int) -> HttpResponse:
    """The progress page's counts block alone, which its script fetches every two seconds."""
    send = _send_for(request, send_id)
    return TemplateResponse(
        request, "newsletters/admin/send_progress_counts.html", _counts_context(send)
    )


def _counts_context(send: Send) -> dict[str, Any]:
    progress = sending.progress(send)
    return {"send": send, "progress": progress, "time_left": time_left(progress.eta_seconds)}


def time_left(seconds: float | None) -> str:
    """An estimate read at a glance: "environ 3 min 20 s", rounded so it does not flicker.

    To the 5 s under a minute, to the 10 s under an hour, to the minute beyond.
    """
    if seconds is None:
        return ""
    step = 5 if seconds < 60 else 10 if seconds < 3600 else 60
    total = step * round(seconds / step)
    if total == 0:
        return str(_("quelques secondes"))
    if total < 60:
        return _("environ %(seconds)d s") % {"seconds": total}
    if total < 3600:
        minutes, rest = divmod(total, 60)
        if rest == 0:
            return _("environ %(minutes)d min") % {"minutes": minutes}
        return _("environ %(minutes)d min %(seconds)02d s") % {
            "minutes": minutes,
            "seconds": rest,
        }
    hours, minutes = divmod(total // 60, 60)
    if minutes == 0:
        return _("environ %(hours)d h") % {"hours": hours}
    return _("environ %(hours)d h %(minutes)02d min") % {"hours": hours, "minutes": minutes}


CONTROLS = {
    "pause": (
        sending.pause,
        _("L'envoi est en pause."),
        _("Seul un envoi en cours peut être mis en pause."),
    ),
    "resume": (sending.resume, _("L'envoi reprend."), _("Seul un envoi en pause peut reprendre.")),
    "cancel": (
        sending.cancel,
        _("L'envoi est annulé."),
        _("Cet envoi est déjà terminé ou annulé."),
    ),
    "resend_failed": (
        sending.resend_failed,
        _("Les adresses en échec sont remises dans la file."),
        _("Seul un envoi terminé avec des échecs peut être relancé."),
    ),
}


@require_http_methods(["POST"])
def send_control(request: HttpRequest, send_id: int, action: str) -> HttpResponse:
    """Pause, resume, cancel, or resend to the failed only."""
    send = _send_for(request, send_id)
    if not request.user.has_perm(CONTROL_PERMISSION):
        raise PermissionDenied
    if action not in CONTROLS:
        return HttpResponse(_("Action inconnue."), status=400)
    function, done, refused = CONTROLS[action]
    if function(send):
        messages.success(request, done)
    else:
        messages.error(request, refused)
    return redirect(reverse("newsletters_send_progress", args=[send.pk]))
