"""The editorial roles.

- Communication writes every page, uploads images and documents, submits for review; it
  never publishes (a page goes live when its workflow finishes).
- Chambre de métiers reviews joint content; it holds no page permission at all and reaches
  what awaits it through its workflow task, the dashboard and the joint content report.
- Administrators (superusers) keep full rights; their bypasses are recorded.

The groups and their permissions are created by the data migration ``0002_create_groups``.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

COMMUNICATION = "Communication"
CHAMBER = "Chambre de métiers"


def is_chamber_approver(user: AbstractBaseUser | AnonymousUser | None) -> bool:
    """A member of the chamber's group who is not an administrator."""
    if user is None or not user.is_authenticated or user.is_superuser:
        return False
    cache_attr = "_editorial_is_chamber"
    if not hasattr(user, cache_attr):
        setattr(user, cache_attr, user.groups.filter(name=CHAMBER).exists())
    return bool(getattr(user, cache_attr))
