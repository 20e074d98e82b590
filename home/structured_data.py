"""The organisation behind the site in full, for search engines: the hub's address, contact
details and social accounts come from the site settings, which this app owns.

Named by the ``STRUCTURED_DATA_ORGANIZATION`` setting, so that the page apps below (an event's
place, an article's publisher) reach it through ``core.structured_data.organization``.
"""

from __future__ import annotations

from django.http import HttpRequest

from core.structured_data import Data, basic_organization
from core.structured_data import postal_address as core_postal_address

from .models import SiteSettings


def postal_address(site_settings: SiteSettings) -> Data | None:
    """The hub's address as a schema.org PostalAddress, or None when none is entered."""
    if not site_settings.has_address:
        return None
    return core_postal_address(site_settings.address, site_settings.postal_code, site_settings.city)


def organization(request: HttpRequest) -> Data:
    """The Organization: name, address, logo, telephone, email and social accounts.

    The settings come from the cache (``SiteSettings.for_request``), as the footer reads them.
    """
    site_settings = SiteSettings.for_request(request)
    data = basic_organization()
    extra = {
        "address": postal_address(site_settings),
        "telephone": site_settings.phone,
        "email": site_settings.contact_email,
        "sameAs": [link.url for link in site_settings.get_social_links()],
    }
    data.update({key: value for key, value in extra.items() if value})
    return data
