"""The editorial roles.

- Communication writes every page, uploads images and documents, submits for review; it
  never publishes (a page goes live when its workflow finishes).
- Chambre de métiers reviews joint content; it holds no page permission at all and reaches
  what awaits it through its workflow task, the dashboard and the joint content report. The
  page permission tester (``editorial.permission_testers``) refuses it every change to a page.
- Administrators (superusers) keep full rights; their bypasses are recorded.

The groups and their permissions are created by the data migration ``0002_create_groups``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User

COMMUNICATION = "Communication"
CHAMBER = "Chambre de métiers"


def _in_group(user: User | AnonymousUser | None, name: str) -> bool:
    """Membership of one editorial group, asked once per user object (that is, per request)."""
    if user is None or not user.is_authenticated:
        return False
    cache_attr = f"_editorial_in_{name}"
    if not hasattr(user, cache_attr):
        setattr(user, cache_attr, user.groups.filter(name=name).exists())
    return bool(getattr(user, cache_attr))


def is_chamber_approver(user: User | AnonymousUser | None) -> bool:
    """A member of the chamber's group who is not an administrator."""
    return user is not None and not user.is_superuser and _in_group(user, CHAMBER)


def is_communication(user: User | AnonymousUser | None) -> bool:
    """A member of the communications team."""
    return _in_group(user, COMMUNICATION)


def user_name(user: Any) -> str:
    """How a person is named in the admin: full name, else username; empty for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
