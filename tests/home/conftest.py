"""Helpers for the home app's tests: publishing pages and making images."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from editorial.enforcement import chamber_bypass
from home.models import NavigationSettings, SiteSettings, StandardPage

PublishPage = Callable[..., Page]


@pytest.fixture
def publish_page(home_page: Page) -> PublishPage:
    """Create a page (a StandardPage unless ``page`` is given) and publish it."""

    def publish(
        title: str = "À propos",
        parent: Page | None = None,
        page: Page | None = None,
        live: bool = True,
        **fields: Any,
    ) -> Page:
        if page is None:
            page = StandardPage(title=title, **fields)
        page.live = False
        (parent or home_page).add_child(instance=page)
        revision = page.save_revision()
        if live:
            # Joint pages in these tests stand for content the chamber already approved.
            with chamber_bypass("contenu approuvé en amont du test"):
                revision.publish()
        page.refresh_from_db()
        return page

    return publish


@pytest.fixture
def image(db: None) -> Image:
    return Image.objects.create(
        title="Les locaux du Carburateur",
        file=get_test_image_file(filename="locaux.png", size=(1400, 900)),
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
