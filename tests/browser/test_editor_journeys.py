"""Editors' journeys in the Wagtail admin.

The workflow (communications editor submits a joint article, the chamber approver requests
changes, then approves) and the newsletter sending journeys belong here once the editorial
workflow and sending are merged: create the accounts with ``live_site.create_user`` (the
groups come from the editorial app's data migration), log in with ``log_in``, and take a
screenshot at each key step with ``shots``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .harness import LiveSite, Screenshots, log_in

pytestmark = pytest.mark.browser


def test_admin_login__an_administrator_reaches_the_dashboard_and_finds_the_demo_pages(
    page: Any, live_site: LiveSite, shots: Screenshots
) -> None:
    live_site.create_user("admin-navigateur", "mot-de-passe-de-test", superuser=True)
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    shots.take(page, "connexion")

    log_in(page, "admin-navigateur", "mot-de-passe-de-test")
    shots.take(page, "tableau-de-bord")

    page.goto("/admin/pages/search/?q=Compagnie")
    expect(page.get_by_role("link", name="La Compagnie des Bocaux").first).to_be_visible()
    shots.take(page, "recherche-de-pages")
