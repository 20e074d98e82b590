"""A visitor of La Fabrique Aviva asks to be reminded to vote and adds the deadline to a calendar.

The demo contest closes on the next 11 April at 23:59 in Marseille, with the default reminder
plan: at the opening (already past), 7 days and 1 day before the closing, and at 09:00 on the
last day.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from programs.demo import next_april_11
from tests.programs.ics import parse_events, unescape

from .harness import MailCatcher, Screenshots, link_in

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def in_french(moment: datetime) -> str:
    """« vendredi 10 avril 2027 à 23 h 59 », written out independently of the site's filters."""
    day = "1er" if moment.day == 1 else str(moment.day)
    return (
        f"{WEEKDAYS[moment.weekday()]} {day} avril {moment.year} "
        f"à {moment.hour} h {moment.minute:02d}"
    )


def expected_reminders(now: datetime) -> tuple[datetime, list[tuple[datetime, str]]]:
    """The demo contest's closing time and its reminders still to come, as the page words them."""
    closing_day = next_april_11(now.astimezone(PARIS).date())
    closes = datetime.combine(closing_day, time(23, 59), tzinfo=PARIS)
    plan = [
        # Without an hour in the plan, "N days before" goes at 10:00 Marseille time.
        (
            datetime.combine(closing_day - timedelta(days=7), time(10, 0), tzinfo=PARIS),
            "7 jours avant la clôture",
        ),
        (
            datetime.combine(closing_day - timedelta(days=1), time(10, 0), tzinfo=PARIS),
            "1 jour avant la clôture",
        ),
        (
            datetime.combine(closing_day, time(9, 0), tzinfo=PARIS),
            "le jour de la clôture, à 9 h 00",
        ),
    ]
    return closes, [(moment, label) for moment, label in plan if moment > now]


def test_contest__remind_me_to_vote_confirmed_by_email_then_the_deadline_in_my_calendar(
    page: Any, shots: Screenshots, mail: MailCatcher
) -> None:
    address = "rappel-aviva@example.fr"
    page.goto("/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Concours"
    ).click()
    page.get_by_role("link", name="La Fabrique Aviva").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("La Fabrique Aviva")
    vote = page.get_by_role("region", name=re.compile("Le vote"))
    expect(vote).to_contain_text("11 avril")
    shots.take(page, "page-du-concours")

    form = page.locator("form.reminder-signup")
    form.get_by_label("Votre adresse électronique").fill(address)
    form.get_by_label("J'accepte de recevoir par courriel les rappels de vote").check()
    form.scroll_into_view_if_needed()
    shots.take(page, "formulaire-me-rappeler-de-voter")
    form.get_by_role("button", name="Me rappeler de voter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    expect(page.get_by_role("main")).to_contain_text("La Fabrique Aviva")
    shots.take(page, "verifiez-votre-messagerie")

    message = mail.wait_for_message(address, "Confirmez votre rappel de vote : La Fabrique Aviva")
    page.goto(link_in(message, "/newsletter/rappel/confirmer/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer le rappel de vote")
    page.get_by_role("button", name="Confirmer le rappel").click()
    now = datetime.now(UTC)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "C'est noté : nous vous rappellerons de voter"
    )
    closes, reminders = expected_reminders(now)
    assert reminders, "La démo n'a plus de rappel à venir : la date de clôture est à revoir."
    expect(page.get_by_role("main")).to_contain_text(
        f"jusqu'à la clôture des votes, le {in_french(closes)}."
    )
    listed = page.get_by_role("list", name="Vos prochains rappels").get_by_role("listitem")
    expect(listed).to_have_text([f"{in_french(moment)} ({label})" for moment, label in reminders])
    times = listed.locator("time")
    for index, (moment, _label) in enumerate(reminders):
        # Marseille's offset in April is +02:00: the dates are local, not UTC.
        expect(times.nth(index)).to_have_attribute("datetime", moment.isoformat())
    shots.take(page, "rappel-confirme")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter la date limite à mon agenda").click()
    download = download_info.value
    assert download.suggested_filename == "vote-la-fabrique-aviva.ics"
    raw = download.path().read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    [event] = parse_events(raw)
    assert unescape(event["SUMMARY"]) == "Dernier moment pour voter : La Fabrique Aviva"
    assert event["DTEND"] == closes.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["DTSTART"] < event["DTEND"]
    assert "La Compagnie des Bocaux" in unescape(event["DESCRIPTION"])
