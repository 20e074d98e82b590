"""Helpers for the home app's tests: publishing pages and making images."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wagtail.images.models import Image
from wagtail.models import Page

from home.models import NavigationSettings, SiteSettings
from tests.factories.home import StandardPageFactory
from tests.factories.pages import ImageFactory

PublishPage = Callable[..., Page]


@pytest.fixture
def publish_page(home_page: Page) -> PublishPage:
    """Create a standard page from a first revision, published unless ``live`` is false."""

    def publish(
        title: str = "À propos", parent: Page | None = None, live: bool = True, **fields: Any
    ) -> Page:
        return StandardPageFactory(
            parent=parent or home_page,
            title=title,
            live=False,
            revision=True if live else "draft",
            **fields,
        )

    return publish


@pytest.fixture
def image(db: None) -> Image:
    return ImageFactory(
        title="Les locaux du Carburateur",
        file__filename="locaux.png",
        file__width=1400,
        file__height=900,
    )


@pytest.fixture
def site_settings(home_page: Page) -> SiteSettings:
    settings = SiteSettings.for_site(home_page.get_site())
    settings.address = "Pôle entrepreneurial, bâtiment B"
    settings.postal_code = "13015"
    settings.city = "Marseille"
    settings.phone = "04 91 00 00 00"
    settings.contact_email = "bonjour@lecarburateur.fr"
    settings.opening_hours = "Du lundi au vendredi, 9 h à 18 h\nLe samedi sur rendez-vous"
    settings.social_links = [
        (
            "link",
            {"network": "instagram", "url": "https://instagram.com/lecarburateur", "label": ""},
        ),
        ("link", {"network": "other", "url": "https://exemple.org/carbu", "label": "Notre blog"}),
    ]
    settings.save()
    return settings


@pytest.fixture
def navigation_settings(home_page: Page) -> NavigationSettings:
    return NavigationSettings.for_site(home_page.get_site())
