"""What every page factory shares: the site's home page, images, and publishing a revision."""

from __future__ import annotations

from typing import Any

import factory
import wagtail_factories

from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from editorial.enforcement import chamber_bypass


def home_page() -> Page:
    """The home page the data migration creates as the default site's root."""
    return Site.objects.get(is_default_site=True).root_page.specific


class PageFactory(wagtail_factories.PageFactory):
    """A live page; ``revision=True`` also saves a revision and publishes it as the admin does.

    ``revision="draft"`` saves the revision without publishing it; ``revision__user`` is its
    author. Pass ``live=False`` with it to start from a draft, as a page created in the admin.
    """

    class Meta:
        abstract = True
        # No model here: each page factory then numbers its own pages (factory_boy shares the
        # counter of a parent factory whose model is a base class of the child's, here Page).
        model = None
        skip_postgeneration_save = True

    # Left empty, Wagtail makes the slug from the title as the admin does (unique among siblings).
    slug = ""

    @factory.post_generation
    def revision(page: Page, create: bool, extracted: Any, **options: Any) -> None:
        if create and extracted:
            save_revision(page, user=options.get("user"), publish=extracted != "draft")


def save_revision(page: Page, *, user: Any = None, publish: bool = True) -> Page:
    """Save a revision of ``page`` (by ``user``) and publish it, unless ``publish`` is false."""
    revision = page.save_revision(user=user)
    if publish:
        # Joint pages built by tests stand for content the chamber already approved.
        with chamber_bypass("contenu approuvé en amont du test"):
            revision.publish()
    page.refresh_from_db()
    return page


def under_home(page_factory: type[factory.Factory]) -> Any:
    """A ``parent`` for a section's single index page: the existing one, else a new one."""

    def parent() -> Page:
        model = page_factory._meta.model
        return model.objects.first() or page_factory()

    return factory.LazyFunction(parent)


class ImageFactory(wagtail_factories.ImageFactory):
    """A picture generated in memory (never downloaded), in the root collection."""

    class Meta:
        model = get_image_model()

    title = "Visuel"
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.django.ImageField(
        filename=factory.LazyAttribute(lambda params: f"{params.factory_parent.title.lower()}.png"),
        width=64,
        height=40,
        color="#b3261e",
        format="PNG",
    )
