"""A date typed in the admin's date picker stays as typed: the server reads it or refuses it."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from .harness import LiveSite, log_in

pytestmark = pytest.mark.browser


def test_event_form__a_date_typed_without_time_is_not_replaced_on_blur(
    page: Any, live_site: LiveSite
) -> None:
    live_site.create_user("admin-dates", "mot-de-passe-de-test", superuser=True)
    script = "from programs.models import EventIndexPage; print(EventIndexPage.objects.get().pk)"
    agenda = live_site.manage("shell", "--no-imports", "-c", script).strip()
    log_in(page, "admin-dates", "mot-de-passe-de-test")
    page.goto(f"/admin/pages/add/programs/eventpage/{agenda}/")

    start = page.locator("#id_start")
    start.click()
    start.press_sequentially("15/01/2031")
    page.keyboard.press("Escape")  # close the picker's calendar
    page.locator("#id_place").click()  # the start field loses the focus

    # Wagtail's picker used to put the current date and time here, without a word.
    expect(start).to_have_value("15/01/2031")
