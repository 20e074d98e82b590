"""The site's one public address, ``SITE_URL``, and every absolute URL made from it.

Pages, the sitemap, feeds, robots.txt, calendar files and emails all say the same host: the
ones Wagtail builds (``page.full_url``) through the default Site record, which
``sync_default_site`` keeps in line with ``SITE_URL``; the others through ``absolute_url``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class SiteAddress:
    """What Wagtail's Site record can hold of ``SITE_URL``: a host and a port."""

    hostname: str
    port: int


def site_url() -> str:
    """``SITE_URL`` without its trailing slash, e.g. ``https://lecarburateur.fr``."""
    return str(settings.SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` on the site's address; a URL that already names a host is returned as is."""
    if not path:
        return site_url() + "/"
    if path.startswith(("http://", "https://")):
        return path
    if path.startswith("//"):
        return f"{urlsplit(site_url()).scheme}:{path}"
    return site_url() + ("" if path.startswith("/") else "/") + path


def parse_site_url(url: str) -> SiteAddress:
    """The Site record's hostname and port for ``url``, or why it cannot be one.

    Wagtail derives a site's scheme from its port (443 means https, anything else http), so an
    https address must use port 443 and an http one any other port; a path is not possible.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"SITE_URL doit être une adresse http(s)://hôte : « {url} ».")
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"SITE_URL ne peut pas contenir de chemin : « {url} ».")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if (parts.scheme == "https") != (port == 443):
        raise ImproperlyConfigured(
            f"SITE_URL : Wagtail sert en https sur le port 443 seulement, en http sur les "
            f"autres ports : « {url} »."
        )
    return SiteAddress(hostname=parts.hostname, port=port)


def sync_default_site(site_model: Any = None) -> bool:
    """Give the default Site record the host and port of ``SITE_URL``; True if it changed.

    Idempotent. ``site_model`` is the historical model when called from a data migration.
    """
    from wagtail.models import Site

    model = site_model or Site
    address = parse_site_url(settings.SITE_URL)
    site = model.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (address.hostname, address.port):
        return False
    site.hostname, site.port = address.hostname, address.port
    site.save(update_fields=["hostname", "port"])
    # A historical model sends no signal Wagtail listens to: forget its cached root paths.
    Site.clear_site_root_paths_cache()
    return True
