"""Registering for a training on a phone, from the first seat to the check-in at the door.

Two seats: a first visitor registers and gets the email with its .ics; a second takes the last
seat; a third is put on the waiting list. The first cancels by the link in the email; the
waiting one is promoted and emailed, once. The day-before reminder goes out once at its time
(the clock is moved there in the process that runs the dispatcher, as beat would at that hour),
to the two people holding a seat and not to the one who cancelled. At the door, the organiser
checks both in on a phone-sized screen.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from email.message import Message
from typing import Any

import icalendar
import pytest
from playwright.sync_api import expect

from editorial.roles import COMMUNICATION

from .conftest import PHONE
from .harness import LiveSite, MailCatcher, Screenshots, link_in, log_in

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-de-test"
TITLE = "Atelier test : chiffrer son projet"

# An event two days from now at 10:00 in Marseille, two seats and a waiting list, published
# under the demo's agenda. Prints its id, its URL and the time of its day-before reminder.
CREATE_EVENT = """
import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo
from django.utils import timezone
from programs.models import EventIndexPage, EventPage
from reminders.events import event_schedule
paris = ZoneInfo("Europe/Paris")
day = timezone.localtime(timezone.now(), paris).date() + timedelta(days=2)
start = datetime.combine(day, time(10, 0), tzinfo=paris)
agenda = EventIndexPage.objects.live().first()
event = EventPage(
    title=%(title)r, slug="atelier-test-chiffrer-son-projet", start=start,
    end=start + timedelta(hours=2), place="Le Carburateur", capacity=2,
    registration_open=True, waiting_list=True, summary="Un atelier pour chiffrer son projet.",
)
agenda.add_child(instance=event)
event.save_revision().publish()
[eve] = [slot for slot in event_schedule(event) if slot.key == "veille"]
print(json.dumps({"id": event.pk, "url": event.url, "eve": eve.due_at.isoformat()}))
"""

# Beat's dispatcher, run as it would be one minute after the reminder's time, twice (a second
# beat finds nothing more to send).
DISPATCH_AT = """
from datetime import datetime, timedelta
import time_machine
from reminders import events
with time_machine.travel(datetime.fromisoformat(%(eve)r) + timedelta(minutes=1), tick=True):
    events.dispatch_due()
    events.dispatch_due()
"""


def register(page: Any, name: str, email: str) -> None:
    form = page.locator("form.registration-form")
    form.get_by_label("Prénom et nom").fill(name)
    form.get_by_label("Adresse électronique", exact=True).fill(email)
    form.get_by_label("J'accepte que Le Carburateur conserve").check()
    form.get_by_role("button", name="M'inscrire").click()


def calendar_of(message: Message) -> icalendar.Event:
    """The .ics attached to ``message``, parsed with icalendar."""
    [part] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    assert part.get_filename() == "atelier-test-chiffrer-son-projet.ics"
    [event] = icalendar.Calendar.from_ical(part.get_payload(decode=True)).events
    return event


def settle(mail: MailCatcher, seconds: float = 2.0) -> None:
    """Give a duplicate email the time to arrive, if one were on its way."""
    time.sleep(seconds)


def test_registration__phone_waiting_list_cancellation_promotion_reminder_and_check_in(
    open_page: Callable[..., Any],
    live_site: LiveSite,
    mail: MailCatcher,
    shots: Screenshots,
) -> None:
    created = json.loads(
        live_site.manage("shell", "-c", CREATE_EVENT % {"title": TITLE}).strip().splitlines()[-1]
    )
    first, second, third = (
        ("Nadia Benali", "nadia.benali@example.fr"),
        ("Karim Haddad", "karim.haddad@example.fr"),
        ("Lucie Martin", "lucie.martin@example.fr"),
    )

    # The first visitor, on a phone: two seats left, the form, the confirmation.
    phone = open_page(PHONE)
    phone.goto(created["url"])
    expect(phone.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(phone.locator(".registration__seats")).to_contain_text("2 places restantes")
    shots.take(phone, "evenement-sur-telephone")
    register(phone, *first)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Inscription confirmée")
    shots.take(phone, "inscription-confirmee")
    confirmed = mail.wait_for_message(first[1], "Inscription confirmée")
    ics = calendar_of(confirmed)
    assert str(ics["SUMMARY"]) == TITLE
    assert "Le Carburateur" in str(ics["LOCATION"])
    cancel_link = link_in(confirmed, "/inscriptions/annuler/")

    # The second takes the last seat; the page then says the event is full.
    second_phone = open_page(PHONE)
    second_phone.goto(created["url"])
    expect(second_phone.locator(".registration__seats")).to_contain_text("1 place restante")
    register(second_phone, *second)
    expect(second_phone.get_by_role("heading", level=1)).to_have_text("Inscription confirmée")
    mail.wait_for_message(second[1], "Inscription confirmée")

    # The third is waitlisted, position 1, and told so by email.
    third_phone = open_page(PHONE)
    third_phone.goto(created["url"])
    expect(third_phone.locator(".registration__seats")).to_contain_text(
        "Complet — liste d'attente ouverte"
    )
    register(third_phone, *third)
    expect(third_phone.get_by_role("heading", level=1)).to_have_text(
        "Vous êtes sur liste d'attente (position 1)"
    )
    shots.take(third_phone, "liste-d-attente")
    waiting = mail.wait_for_message(third[1], "Liste d'attente (position 1)")
    assert calendar_of(waiting)

    # The first cancels by the emailed link: one button, then the confirmation.
    phone.goto(cancel_link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Annuler mon inscription")
    shots.take(phone, "annuler-mon-inscription")
    phone.get_by_role("button", name="Annuler mon inscription").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Inscription annulée")
    mail.wait_for_message(first[1], "Inscription annulée")

    # The waiting one is promoted and emailed once.
    promoted = mail.wait_for_message(third[1], "Une place s'est libérée pour vous")
    assert calendar_of(promoted)
    settle(mail)
    assert len(mail.messages_to(third[1], "Une place s'est libérée")) == 1

    # The day-before reminder, at its time: once to each seat holder, never to the cancelled.
    live_site.manage("shell", "-c", DISPATCH_AT % {"eve": created["eve"]})
    for _name, address in (second, third):
        reminder = mail.wait_for_message(address, "Rappel, c'est demain")
        assert str(calendar_of(reminder)["SUMMARY"]) == TITLE
    live_site.manage("shell", "-c", DISPATCH_AT % {"eve": created["eve"]})
    settle(mail)
    for _name, address in (second, third):
        assert len(mail.messages_to(address, "Rappel, c'est demain")) == 1, address
    assert mail.messages_to(first[1], "Rappel") == []

    # At the door: the organiser, on a phone, finds each person by name and ticks them present.
    live_site.create_user("accueil-atelier", PASSWORD, groups=(COMMUNICATION,))
    door = open_page(PHONE)
    log_in(door, "accueil-atelier", PASSWORD)
    door.goto(f"/admin/inscriptions/{created['id']}/accueil/")
    expect(door.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(door.locator(".count")).to_have_text("0 présent")
    for name, _address in (second, third):
        door.get_by_role("searchbox").fill(name.split()[0])
        door.get_by_role("button", name="Chercher").click()
        door.get_by_role("button", name=f"Noter {name} présent·e").click()
        expect(door.get_by_role("button", name=f"Annuler la présence de {name}")).to_be_visible()
    expect(door.locator(".count")).to_have_text("2 présents")
    assert door.get_by_text(first[0]).count() == 0  # the cancelled registration is not listed
    shots.take(door, "accueil-deux-presents")
