"""The organisers' screens in the admin: the « Inscriptions » index with attendance rates, an
event's registrations (counts, list with answers, exports, message history), the message form,
and the check-in page used at the door.

Every view asks ``registrations.permissions``: Communication acts on every event, the chamber
reads the registrations of joint events, nobody else sees anything.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs.models import EventPage

from . import permissions
from .attendance import COUNT_ANNOTATIONS, Rate, event_counts, rates_by_event, rates_by_programme
from .exports import RegistrationSheet, answers_in_order, exported_registrations, questions_of
from .messages import start_message
from .models import RegistrantMessage, Registration

#: How many past events the index lists (the newest first).
PAST_EVENTS_LISTED = 30


def _viewable_event(request: HttpRequest, event_id: int) -> EventPage:
    event = get_object_or_404(EventPage, pk=event_id)
    if not permissions.may_view(request.user, event):
        raise PermissionDenied
    return event


def _actionable_event(request: HttpRequest, event_id: int) -> EventPage:
    event = get_object_or_404(EventPage, pk=event_id)
    if not permissions.may_act(request.user, event):
        raise PermissionDenied
    return event


def registrations_index(request: HttpRequest) -> HttpResponse:
    """Events with registration on the site (open now or with registrations), and the rates."""
    if not permissions.may_see_some_registrations(request.user):
        raise PermissionDenied
    visible = permissions.visible_events(request.user)
    events = (
        visible.annotate(**COUNT_ANNOTATIONS, total_count=Count("registrations"))
        .filter(Q(registration_open=True) | Q(total_count__gt=0))
        .order_by("start", "pk")
    )
    now = timezone.now()
    upcoming = [event for event in events if event.end >= now]
    past = [event for event in events if event.end < now][::-1][:PAST_EVENTS_LISTED]
    context = {
        "upcoming": upcoming,
        "past": past,
        "programme_rates": rates_by_programme(visible, now),
        "event_rates": rates_by_event(visible, now),
    }
    return TemplateResponse(request, "registrations/admin/index.html", context)


def event_registrations(request: HttpRequest, event_id: int) -> HttpResponse:
    """One event: counts, everyone with their answers, exports, and (for organisers) actions."""
    event = _viewable_event(request, event_id)
    registrations = exported_registrations(event)
    questions = questions_of(event, registrations)
    counts = event_counts(event)
    may_act = permissions.may_act(request.user, event)
    context: dict[str, Any] = {
        "event": event,
        "counts": counts,
        # A rate only once the event has started (nobody is present at an event to come).
        "rates": (
            [Rate(event.title, counts.confirmed, counts.present)]
            if counts.confirmed and event.start <= timezone.now()
            else []
        ),
        "questions": questions,
        "rows": [(r, answers_in_order(r, questions)) for r in registrations],
        "may_act": may_act,
        "sent_messages": (
            RegistrantMessage.objects.filter(event=event)
            .annotate(sent=Count("deliveries"))
            .order_by("-created_at")
            if may_act
            else []
        ),
    }
    return TemplateResponse(request, "registrations/admin/event.html", context)


def export_registrations(request: HttpRequest, event_id: int, export_format: str) -> HttpResponse:
    """The list as CSV or XLSX (read-only: the chamber may export a joint event's list)."""
    if export_format not in RegistrationSheet.FORMATS:
        raise Http404
    event = _viewable_event(request, event_id)
    return RegistrationSheet(event, exported_registrations(event)).response(export_format)


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Objet"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Texte simple. Chaque courriel rappelle la date et le lieu, et porte le lien "
            "d'annulation de la personne."
        ),
    )


def message_registrants(request: HttpRequest, event_id: int) -> HttpResponse:
    """Write to every confirmed or waiting registrant; sent by the mailing engine."""
    event = _actionable_event(request, event_id)
    form = MessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        start_message(
            event,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            user=request.user,
        )
        messages.success(request, gettext("Le message part aux personnes inscrites."))
        return redirect("registrations_admin:event", event.pk)
    recipients = (
        Registration.objects.filter(event=event, anonymised_at__isnull=True).active().count()
    )
    context = {"event": event, "form": form, "recipients": recipients}
    return TemplateResponse(request, "registrations/admin/message.html", context)


def fold(text: str) -> str:
    """Text compared without case or accents: « helene » finds « Hélène »."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def check_in(request: HttpRequest, event_id: int) -> HttpResponse:
    """The door's page: a light page (no admin scripts), search by name, tick present.

    Each tick is one POST answered with the page itself (one round trip on a slow
    connection); ticking is idempotent (« présent·e » and « annuler » say what to set), so a
    repeated POST changes nothing.
    """
    event = _actionable_event(request, event_id)
    query = (request.POST if request.method == "POST" else request.GET).get("q", "").strip()
    notice = ""
    if request.method == "POST":
        notice = _record_presence(request, event)
    confirmed = Registration.objects.filter(event=event, anonymised_at__isnull=True).confirmed()
    people = sorted(confirmed.only("pk", "name", "checked_in_at"), key=lambda r: fold(r.name))
    present = sum(1 for person in people if person.checked_in_at)
    total = len(people)
    if query:
        wanted = fold(query)
        people = [person for person in people if wanted in fold(person.name)]
    context = {
        "event": event,
        "people": people,
        "query": query,
        "present": present,
        "people_total": total,
        "notice": notice,
    }
    return TemplateResponse(request, "registrations/admin/check_in.html", context)


def _record_presence(request: HttpRequest, event: EventPage) -> str:
    """Set or clear one person's presence; the sentence the page then shows."""
    # The list is one form (one CSRF token for the page, not one per person): the button
    # pressed names the action and carries the person.
    action = "present" if "present" in request.POST else "absent"
    try:
        registration_id = int(request.POST.get(action, ""))
    except ValueError:
        registration_id = 0
    person = (
        Registration.objects.filter(event=event, pk=registration_id, anonymised_at__isnull=True)
        .confirmed()
        .only("pk", "name")
        .first()
    )
    if person is None:
        return gettext("Personne introuvable dans les inscrits : rien n'a changé.")
    rows = Registration.objects.filter(pk=person.pk)
    if action == "present":
        # The first tick's time and author stay if two phones tick the same person.
        rows.filter(checked_in_at__isnull=True).update(
            checked_in_at=timezone.now(), checked_in_by=request.user
        )
        return gettext("%(name)s est noté·e présent·e.") % {"name": person.name}
    rows.update(checked_in_at=None, checked_in_by=None)
    return gettext("Présence de %(name)s annulée.") % {"name": person.name}
