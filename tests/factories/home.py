"""Standard pages, under the home page unless told otherwise."""

from __future__ import annotations

import factory

from home.models import StandardPage

from .pages import PageFactory, home_page


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage

    parent = factory.LazyFunction(home_page)
    title = "À propos"
