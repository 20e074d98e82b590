"""People of each editorial role: the communication team, the chamber's approvers, admins."""

from __future__ import annotations

from typing import Any

import factory

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from editorial.roles import CHAMBER, COMMUNICATION


class UserFactory(factory.django.DjangoModelFactory):
    """Someone with no role; ``groups`` names the groups they belong to (besides their role)."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"personne{n + 1}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.LazyAttribute(lambda user: user.username.capitalize())
    password = factory.django.Password("x")

    @factory.post_generation
    def groups(user: Any, create: bool, extracted: Any, role: str = "", **_: Any) -> None:
        names = [name for name in (role, *(extracted or ())) if name]
        if create and names:
            user.groups.set(Group.objects.filter(name__in=names))


class CommunicationUserFactory(UserFactory):
    """A member of the communication team: writes pages and reviews them."""

    groups__role = COMMUNICATION


class ChamberApproverFactory(UserFactory):
    """One of the chamber of trades' approvers: approves the pages joint with the chamber."""

    groups__role = CHAMBER


class AdminFactory(UserFactory):
    """A superuser."""

    is_superuser = True
    is_staff = True
