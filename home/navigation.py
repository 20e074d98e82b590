"""The header menu and footer links, resolved once and cached until something changes.

Menus are read on every page, so their resolved form (labels and URLs, as plain strings) is kept
in Django's cache per site: a warm page render spends no query on them. The cached menus carry
the page-cache tags of what they show (the navigation settings, each page they name, the home
page's children when the menu falls back on « show in menus », every URL) and are rebuilt as
soon as one of them is bumped: saving the settings, publishing, unpublishing, moving or deleting
a page, changing a site.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.cache import cache

from wagtail.fields import StreamValue
from wagtail.models import Site

from home.models import NavigationSettings
from pagecache import model_tag, record
from pagecache.tags import ensure_floor, is_fresh

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
    #: What the menus show, for the page cache: the pages they name (live or not) and, for a
    #: menu built from « show in menus », the home page's children.
    tags: frozenset[str] = frozenset()


def cache_key(site_id: int) -> str:
    return f"{CACHE_PREFIX}{site_id}"


def _resolve(stream: StreamValue, site: Site, tags: set[str]) -> list[MenuLink]:
    """Turn menu items into links, skipping pages that are gone or not live."""
    links = []
    for item in stream:
        page = item.value["page"]
        if page is not None:
            tags.add(f"page:{page.pk}")
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
    tags = {model_tag(NavigationSettings), model_tag(Site), "urls"}
    header = _resolve(settings.header_links, site, tags) if settings.header_links else None
    if header is None:
        header = _pages_shown_in_menus(site)
        tags.add(f"children:{site.root_page.path}")
    return Navigation(
        header=header, footer=_resolve(settings.footer_links, site, tags), tags=frozenset(tags)
    )


def get_navigation(site: Site | None) -> Navigation:
    """The site's menus, from the cache while nothing they show has changed.

    The entry keeps the time its build started; it is used only if none of the pages,
    settings or listings it read was changed since (see ``pagecache.tags``), so a build that
    raced with an editor's change is never kept.
    """
    if site is None:
        return Navigation()
    key = cache_key(site.pk)
    entry = cache.get(key)
    if entry is not None and is_fresh(entry[0], entry[1].tags):
        navigation = entry[1]
    else:
        ensure_floor()
        started_at = time.time()
        navigation = build_navigation(site)
        cache.set(key, (started_at, navigation), CACHE_TIMEOUT)
    record(*navigation.tags)
    return navigation
