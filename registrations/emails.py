"""The emails about one registration: every one carries the event's details, its address, the
.ics and the cancellation link.

They go through the outbox (``mailing.outbox.queue_email``) in the caller's transaction. They
are about a registration, not a subscription: no preferences or unsubscribe link, the
cancellation link takes their place. Templates: ``registrations/emails/<name>{_subject.txt,
.txt,.html}``, the HTML ones extending the shared layout ``newsletters/emails/base.html``.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse

from core.french import datetime_range_fr
from mailing.models import OutboxEmail
from mailing.outbox import queue_email
from subscriptions.emails import absolute_url, layout_context, postal_address

from .models import Registration
from .tokens import make_cancel_token


def cancel_url(registration: Registration) -> str:
    """The registration's cancellation page, as printed in its emails."""
    token = make_cancel_token(registration.pk, registration.address_hash)
    return absolute_url(reverse("registrations:cancel", args=[token]))


def event_context(registration: Registration) -> dict[str, Any]:
    """What every email about ``registration`` shows of its event, and the personal links."""
    event = registration.event
    location = event.location()
    lines = location.lines or (postal_address(),)
    return {
        **layout_context(),
        "email": registration.email,
        "registration": registration,
        "event": event,
        "when": datetime_range_fr(event.start, event.end),
        "venue": location.venue,
        "address_lines": lines,
        "event_url": event.get_full_url() or absolute_url("/"),
        "cancel_url": cancel_url(registration),
    }


def render_registration_email(
    registration: Registration,
    template: str,
    *,
    kind: str,
    with_calendar: bool = True,
    **context: Any,
) -> OutboxEmail:
    """Render ``registrations/emails/<template>`` for ``registration`` into an unsaved row,
    with the event's .ics attached (not to a cancellation: the person is not coming). The
    reminders render their own template with it."""
    full_context = {**event_context(registration), "with_calendar": with_calendar, **context}
    prefix = f"registrations/emails/{template}"
    subject = " ".join(render_to_string(f"{prefix}_subject.txt", full_context).split())
    return OutboxEmail(
        kind=kind,
        address_hash=registration.address_hash,
        to=registration.email,
        subject=subject[:255],
        body_text=render_to_string(f"{prefix}.txt", full_context),
        body_html=render_to_string(f"{prefix}.html", full_context),
        attachments=[registration.event.calendar_attachment()] if with_calendar else [],
    )


def queue_registration_email(
    registration: Registration, template: str, *, kind: str, **context: Any
) -> OutboxEmail:
    """Write the email in the outbox, in the caller's transaction."""
    email = render_registration_email(
        registration, template, kind=kind, with_calendar=template != "cancelled", **context
    )
    return queue_email(email)
