"""The header menu and footer links, resolved once and cached until something changes.

Menus are read on every page, so their resolved form (labels and URLs, as plain strings) is kept
in Django's cache per site: a warm page render spends no query on them. The cache is cleared
when the navigation settings are saved, and whenever a page is published, unpublished, moved or
deleted, or a site changes, since each of these can change a menu label, a URL or which entries
are live.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.fields import StreamValue
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.models import NavigationSettings

CACHE_PREFIX = "home:navigation:"
CACHE_TIMEOUT = 60 * 60 * 24


@dataclass(frozen=True)
class MenuLink:
    """One resolved menu entry."""

    label: str
    url: str


@dataclass(frozen=True)
class Navigation:
    """Both menus of a site."""

    header: list[MenuLink] = field(default_factory=list)
    footer: list[MenuLink] = field(default_factory=list)


def cache_key(site_id: int) -> str:
    return f"{CACHE_PREFIX}{site_id}"


def _resolve(stream: StreamValue, site: Site) -> list[MenuLink]:
    """Turn menu items into links, skipping pages that are gone or not live."""
    links = []
    for item in stream:
        page = item.value["page"]
        if page is None or not page.live:
            continue
        url = page.get_url(current_site=site)
        if url:
            links.append(MenuLink(label=item.value["label"] or page.title, url=url))
    return links


def _pages_shown_in_menus(site: Site) -> list[MenuLink]:
    """The home page's live children ticked « Afficher dans les menus », in tree order."""
    pages = site.root_page.get_children().live().in_menu().order_by("path")
    return [
        MenuLink(label=page.title, url=url)
        for page in pages
        if (url := page.get_url(current_site=site))
    ]


def build_navigation(site: Site) -> Navigation:
    """Read the site's navigation settings and resolve both menus (at most three queries).

    An empty header menu falls back on Wagtail's « show in menus » flag, so that a new site,
    or one whose editors never set the menu, still has one.
    """
    settings = NavigationSettings.for_site(site)
    header = _resolve(settings.header_links, site) if settings.header_links else None
    return Navigation(
        header=header if header is not None else _pages_shown_in_menus(site),
        footer=_resolve(settings.footer_links, site),
    )


def get_navigation(site: Site | None) -> Navigation:
    """The site's menus, from the cache when possible."""
    if site is None:
        return Navigation()
    key = cache_key(site.pk)
    navigation = cache.get(key)
    if navigation is None:
        navigation = build_navigation(site)
        cache.set(key, navigation, CACHE_TIMEOUT)
    return navigation


def clear_navigation_cache() -> None:
    """Forget every site's resolved menus."""
    cache.delete_many([cache_key(pk) for pk in Site.objects.values_list("pk", flat=True)])


@receiver(post_save, sender=NavigationSettings)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def _clear_on_change(sender: Any, **kwargs: Any) -> None:
    clear_navigation_cache()


@receiver(post_delete, sender=Page)
def _clear_on_page_delete(sender: Any, **kwargs: Any) -> None:
    # Deleting a page of any type deletes its wagtailcore.Page row too, which fires this.
    clear_navigation_cache()
