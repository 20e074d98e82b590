"""Who may see an event's registrations, and who may act on them.

- Communication (and administrators) see and act on every event: list, export, message,
  check-in.
- The chamber's approvers see the registrations of joint events only (any joint partner, as
  the editorial routing reads the marker), read only: the list, the counts, the attendance and
  the export (a read of what they already see on screen, which a co-organiser needs for its
  own records of a joint training). They never send a message nor tick anyone present.
- Anyone else, with or without admin access, sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from editorial.roles import is_chamber_approver, is_communication
from programs.models import EventPage


def manages_registrations(user: Any) -> bool:
    """Communication or an administrator: every event, every action."""
    return bool(user.is_authenticated and (user.is_superuser or is_communication(user)))


def may_see_some_registrations(user: Any) -> bool:
    """Whether the « Inscriptions » menu and index are for this user at all."""
    return manages_registrations(user) or is_chamber_approver(user)


def may_view(user: Any, event: EventPage) -> bool:
    """The counts, the list with answers, the attendance and the export."""
    return manages_registrations(user) or (is_chamber_approver(user) and event.is_joint)


def may_act(user: Any, event: EventPage) -> bool:
    """Check-in and messages to the registrants: never the chamber."""
    return manages_registrations(user)


def visible_events(user: Any) -> QuerySet[EventPage]:
    """The events whose registrations this user may see (none for most people)."""
    events = EventPage.objects.all()
    if manages_registrations(user):
        return events
    if is_chamber_approver(user):
        return events.filter(joint_partner__isnull=False)
    return events.none()
