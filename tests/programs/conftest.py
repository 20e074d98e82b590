"""Fixtures for the programs app: its index pages under the home page, and page builders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from PIL import Image as PILImage

from django.core.files.images import ImageFile
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Page

from home.models import HomePage
from members.models import MemberIndexPage, MemberPage
from programs.models import (
    ContestIndexPage,
    ContestPage,
    EventIndexPage,
    EventPage,
    PartnerIndexPage,
    PartnerPage,
    ProgramIndexPage,
    ProgramPage,
)


def add_page(parent: Page, page: Page, *, revision: bool = False) -> Page:
    """Add ``page`` under ``parent``, live; with ``revision`` it is published like in the admin."""
    parent.add_child(instance=page)
    if revision:
        page.save_revision().publish()
    return page


def make_image(title: str = "Visuel") -> Any:
    """A small image generated in memory: no file is ever downloaded."""
    buffer = BytesIO()
    PILImage.new("RGB", (64, 40), "#b3261e").save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.lower()}.png")
    )


@pytest.fixture
def program_index(home_page: HomePage) -> ProgramIndexPage:
    return add_page(home_page, ProgramIndexPage(title="Programmes", slug="programmes"))


@pytest.fixture
def event_index(home_page: HomePage) -> EventIndexPage:
    return add_page(home_page, EventIndexPage(title="Agenda", slug="agenda"))


@pytest.fixture
def partner_index(home_page: HomePage) -> PartnerIndexPage:
    return add_page(home_page, PartnerIndexPage(title="Partenaires", slug="partenaires"))


@pytest.fixture
def contest_index(home_page: HomePage) -> ContestIndexPage:
    return add_page(home_page, ContestIndexPage(title="Concours", slug="concours"))


@pytest.fixture
def cma(partner_index: PartnerIndexPage) -> PartnerPage:
    return add_page(
        partner_index,
        PartnerPage(
            title="Chambre de métiers et de l'artisanat",
            slug="cma",
            short_name="CMA",
            introduction="La CMA accompagne les artisans des Bouches-du-Rhône.",
            contact_email="contact@cma.example",
        ),
    )


@pytest.fixture
def make_program(program_index: ProgramIndexPage) -> Callable[..., ProgramPage]:
    def make(title: str = "Formation gestion", **fields: Any) -> ProgramPage:
        fields.setdefault("slug", None)
        fields.setdefault("kind", "formation")
        program = ProgramPage(title=title, **fields)
        if program.slug is None:
            program.slug = f"programme-{ProgramPage.objects.count() + 1}"
        return add_page(program_index, program)

    return make


@pytest.fixture
def make_event(event_index: EventIndexPage) -> Callable[..., EventPage]:
    def make(
        title: str = "Réunion d'information",
        start: datetime | None = None,
        duration: timedelta = timedelta(hours=2),
        **fields: Any,
    ) -> EventPage:
        start = start or timezone.now() + timedelta(days=7)
        fields.setdefault("slug", f"evenement-{EventPage.objects.count() + 1}")
        fields.setdefault("registration_text", "Inscription à l'accueil.")
        return add_page(
            event_index, EventPage(title=title, start=start, end=start + duration, **fields)
        )

    return make


@pytest.fixture
def members(home_page: HomePage) -> list[MemberPage]:
    index = add_page(home_page, MemberIndexPage(title="Résidents", slug="residents"))
    return [
        add_page(index, MemberPage(title=name, slug=slug, company_name=name))
        for name, slug in (
            ("La Compagnie des Bocaux", "la-compagnie-des-bocaux"),
            ("Medinscop", "medinscop"),
        )
    ]


@pytest.fixture
def make_contest(contest_index: ContestIndexPage) -> Callable[..., ContestPage]:
    def make(opens: datetime, closes: datetime, **fields: Any) -> ContestPage:
        fields.setdefault("title", "La Fabrique Aviva")
        fields.setdefault("slug", f"concours-{ContestPage.objects.count() + 1}")
        fields.setdefault("organiser", "Aviva France")
        fields.setdefault("vote_url", "https://lafabrique.aviva.fr/vote")
        return add_page(
            contest_index, ContestPage(vote_opens_at=opens, vote_closes_at=closes, **fields)
        )

    return make
