"""The home app's answers to the hooks of the apps below it."""

from __future__ import annotations

from wagtail import hooks
from wagtail.models import Site

from pagecache import memo, model_tag
from subscriptions.hooks import EMAIL_POSTAL_ADDRESS

from .models import SiteSettings


@hooks.register(EMAIL_POSTAL_ADDRESS)
def email_postal_address() -> str:
    """The default site's address as the footer shows it, on one line, for emails.

    Kept in the cache until an editor saves the settings (or the site): a reminder run or a
    sign-up renders an email each time, and must not pay a query for the same line.
    """
    return memo(
        "emails:postal-address",
        [model_tag(SiteSettings), model_tag(Site)],
        _postal_address,
    )


def _postal_address() -> str:
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return ""
    contact = SiteSettings.for_site(site)
    if not contact.has_address:  # the city alone, a default, says too little
        return ""
    town = " ".join(part for part in (contact.postal_code, contact.city) if part)
    return ", ".join(part for part in (contact.address, town) if part)
