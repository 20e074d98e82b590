"""The home app's models: shared page types and site-wide settings."""

from __future__ import annotations

from .pages import (
    META_DESCRIPTION_LENGTH,
    PARTNER_PAGE_TYPE,
    BasePage,
    HomePage,
    StandardPage,
    public,
)
from .settings import NavigationSettings, SiteSettings, SocialLink

__all__ = [
    "META_DESCRIPTION_LENGTH",
    "PARTNER_PAGE_TYPE",
    "BasePage",
    "HomePage",
    "NavigationSettings",
    "SiteSettings",
    "SocialLink",
    "StandardPage",
    "public",
]
