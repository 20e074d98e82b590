"""The home app's models: the home page, the standard page and site-wide settings."""

from __future__ import annotations

from .pages import HomePage, StandardPage
from .settings import NavigationSettings, SiteSettings, SocialLink

__all__ = [
    "HomePage",
    "NavigationSettings",
    "SiteSettings",
    "SocialLink",
    "StandardPage",
]
