"""The residents' directory, its residents and their trades."""

from __future__ import annotations

import datetime

import factory

from django.utils.text import slugify

from members.models import MemberIndexPage, MemberPage, SpaceType, Trade

from .pages import PageFactory, home_page, under_home


class MemberIndexPageFactory(PageFactory):
    class Meta:
        model = MemberIndexPage

    parent = factory.LazyFunction(home_page)
    title = "Les résidents"
    slug = "residents"
    introduction = "Ils sont hébergés au Carburateur."


class MemberPageFactory(PageFactory):
    """A resident in the directory (created with it if there is none yet)."""

    class Meta:
        model = MemberPage

    parent = under_home(MemberIndexPageFactory)
    title = factory.Sequence(lambda n: f"Résident {n + 1:04d}")
    slug = factory.Sequence(lambda n: f"resident-{n + 1:04d}")
    company_name = factory.Sequence(lambda n: f"Entreprise {n + 1:04d}")
    space_type = SpaceType.COWORKING
    resident_since = datetime.date(2024, 3, 1)


class TradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trade
        django_get_or_create = ("slug",)

    name = "Conserverie"
    slug = factory.LazyAttribute(lambda trade: slugify(trade.name))
