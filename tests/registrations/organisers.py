"""Fixtures of the organisers' tests: a training and a joint training with registration, people
of each role, registrations written directly with the model (the public flow has its own tests).

Test modules import them (``from .organisers import *``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django.utils.text import slugify

from editorial.enforcement import chamber_bypass
from home.models import HomePage
from mailing.addresses import address_hash
from programs.models import EventPage, PartnerPage
from registrations.models import Registration
from tests.editorial.conftest import admin, cma, login  # noqa: F401 - the same people and pages
from tests.factories.editorial import ChamberApproverFactory, CommunicationUserFactory
from tests.factories.programs import EventPageFactory

TRAINING_QUESTIONS = [
    ("text", {"label": "Votre activité", "required": True, "help_text": ""}),
    (
        "choice",
        {
            "label": "Créneau",
            "required": False,
            "help_text": "",
            "choices": ["Matin", "Après-midi"],
        },
    ),
    ("yes_no", {"label": "Besoin d'un accès PMR ?", "required": False, "help_text": ""}),
]


@pytest.fixture
def training(home_page: HomePage) -> EventPage:
    """A training with registration open, 20 seats and three questions, in a week."""
    return EventPageFactory(
        title="Atelier comptabilité",
        registration_open=True,
        capacity=20,
        registration_questions=TRAINING_QUESTIONS,
    )


@pytest.fixture
def joint_event(home_page: HomePage, cma: PartnerPage) -> EventPage:  # noqa: F811
    """A training joint with the chamber (published as if the chamber had approved it)."""
    with chamber_bypass("contenu approuvé en amont du test"):
        return EventPageFactory(
            title="Formation CMA : créer son entreprise artisanale",
            registration_open=True,
            capacity=12,
            joint_partner=cma,
        )


def question_ids(event: EventPage) -> list[str]:
    return [str(child.id) for child in event.registration_questions]


@pytest.fixture
def register() -> Callable[..., Registration]:
    """A registration written directly: ``register(event, "Nom", status=..., present=True)``."""

    def _register(
        event: EventPage,
        name: str,
        email: str | None = None,
        *,
        status: str = Registration.Status.CONFIRMED,
        answers: list[dict[str, Any]] | None = None,
        present: bool = False,
        phone: str = "",
    ) -> Registration:
        email = email or f"{slugify(name.split()[0])}@example.fr"
        now = timezone.now()
        return Registration.objects.create(
            event=event,
            status=status,
            name=name,
            email=email,
            address_hash=address_hash(email),
            phone=phone,
            answers=answers or [],
            confirmed_at=now if status == Registration.Status.CONFIRMED else None,
            waiting_since=now if status == Registration.Status.WAITING else None,
            cancelled_at=now if status == Registration.Status.CANCELLED else None,
            checked_in_at=now - timedelta(minutes=5) if present else None,
        )

    return _register


@pytest.fixture
def communication(db: None) -> Any:
    return CommunicationUserFactory(username="communication")


@pytest.fixture
def chamber(db: None) -> Any:
    return ChamberApproverFactory(username="chambre")


@pytest.fixture
def outsider(db: None) -> Any:
    """Someone who may enter the admin and nothing more."""
    group = Group.objects.create(name="Lecteurs")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    return CommunicationUserFactory(username="lecteur", groups__role="", groups=[group.name])
