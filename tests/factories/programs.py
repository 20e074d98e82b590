"""The programs app's pages: programs, the agenda's events, partners and contests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory

from django.utils import timezone

from programs.models import (
    ContestEntry,
    ContestIndexPage,
    ContestPage,
    EventIndexPage,
    EventPage,
    PartnerIndexPage,
    PartnerPage,
    ProgramIndexPage,
    ProgramKind,
    ProgramPage,
)

from .pages import PageFactory, home_page, under_home


class ProgramIndexPageFactory(PageFactory):
    class Meta:
        model = ProgramIndexPage

    parent = factory.LazyFunction(home_page)
    title = "Programmes"
    slug = "programmes"


class EventIndexPageFactory(PageFactory):
    class Meta:
        model = EventIndexPage

    parent = factory.LazyFunction(home_page)
    title = "Agenda"
    slug = "agenda"


class PartnerIndexPageFactory(PageFactory):
    class Meta:
        model = PartnerIndexPage

    parent = factory.LazyFunction(home_page)
    title = "Partenaires"
    slug = "partenaires"


class ContestIndexPageFactory(PageFactory):
    class Meta:
        model = ContestIndexPage

    parent = factory.LazyFunction(home_page)
    title = "Concours"
    slug = "concours"


class PartnerPageFactory(PageFactory):
    """The chamber of trades (CMA) unless told otherwise: the partner most pages are joint with."""

    class Meta:
        model = PartnerPage

    parent = under_home(PartnerIndexPageFactory)
    title = "Chambre de métiers et de l'artisanat"
    slug = "cma"
    short_name = "CMA"
    introduction = "La CMA accompagne les artisans des Bouches-du-Rhône."
    contact_email = "contact@cma.example"


class ProgramPageFactory(PageFactory):
    class Meta:
        model = ProgramPage

    parent = under_home(ProgramIndexPageFactory)
    title = "Formation gestion"
    slug = factory.Sequence(lambda n: f"programme-{n + 1}")
    kind = ProgramKind.TRAINING


class EventPageFactory(PageFactory):
    """An event in a week's time; ``duration`` gives its end."""

    class Meta:
        model = EventPage

    class Params:
        duration = timedelta(hours=2)

    parent = under_home(EventIndexPageFactory)
    title = "Réunion d'information"
    slug = factory.Sequence(lambda n: f"evenement-{n + 1}")
    start = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    end = factory.LazyAttribute(lambda event: event.start + event.duration)
    registration_text = "Inscription à l'accueil."


class ContestPageFactory(PageFactory):
    """A contest whose vote opens in a day and lasts a month; ``residents`` enter it."""

    class Meta:
        model = ContestPage

    parent = under_home(ContestIndexPageFactory)
    title = "La Fabrique Aviva"
    slug = factory.Sequence(lambda n: f"concours-{n + 1}")
    organiser = "Aviva France"
    vote_url = "https://lafabrique.aviva.fr/vote"
    vote_opens_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    vote_closes_at = factory.LazyAttribute(
        lambda contest: contest.vote_opens_at + timedelta(days=30)
    )

    @factory.post_generation
    def residents(contest: ContestPage, create: bool, extracted: Any, **fields: Any) -> None:
        for member in extracted or ():
            ContestEntryFactory(contest=contest, member=member, **fields)


class ContestEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContestEntry

    project = ""
