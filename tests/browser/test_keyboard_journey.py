"""Keyboard only: the skip link, the menu and the sign-up form work without a mouse.

Wherever the focus goes, it shows: each focused element draws a solid outline of 2 px or more.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import PHONE
from .harness import MailCatcher, Screenshots, assert_focus_visible, tab_to, text_body

pytestmark = pytest.mark.browser


def test_skip_link__first_tab_stop_shows_and_moves_focus_to_the_content(
    page: Any, shots: Screenshots
) -> None:
    page.goto("/residents/")

    page.keyboard.press("Tab")
    skip = assert_focus_visible(page)
    assert (skip["tag"], skip["text"]) == ("a", "Aller au contenu")
    assert skip["top"] >= 0, "Le lien d'évitement reste hors de l'écran quand il a le focus."
    shots.take(page, "lien-d-evitement")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#contenu$"))
    assert page.evaluate("() => document.activeElement.id") == "contenu"

    page.keyboard.press("Tab")
    first_in_content = assert_focus_visible(page)
    assert first_in_content["inMain"], f"Le focus a quitté le contenu : {first_in_content}"


def test_menu__reached_and_followed_with_the_keyboard_on_a_wide_screen(
    page: Any, shots: Screenshots
) -> None:
    page.goto("/")

    menu = page.get_by_role("navigation", name="Menu principal")
    tab_to(page, menu.get_by_role("link", name="Les résidents"))
    shots.take(page, "menu-focus")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Les résidents")


def test_menu__opened_and_followed_with_the_keyboard_on_a_phone(
    open_page: Any, shots: Screenshots
) -> None:
    page = open_page(PHONE)
    page.goto("/")
    nav_link = page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Actualités"
    )
    expect(nav_link).to_be_hidden()

    toggle = tab_to(page, page.locator("summary.site-menu__toggle"))
    assert toggle["text"] == "Menu"
    page.keyboard.press("Enter")
    expect(nav_link).to_be_visible()
    tab_to(page, nav_link, limit=10)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    shots.take(page, "menu-ouvert", full_page=False)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Actualités")


def test_signup_form__filled_and_sent_with_the_keyboard(
    page: Any, shots: Screenshots, mail: MailCatcher
) -> None:
    address = "clavier@example.fr"
    page.goto("/agenda/")

    form = page.locator("footer form.newsletter-signup")
    tab_to(page, form.get_by_label("Adresse électronique"))
    page.keyboard.type(address)
    topic = form.get_by_label("Concours et votes")
    tab_to(page, topic, limit=5)
    page.keyboard.press("Space")
    consent = form.get_by_label("J'accepte de recevoir")
    tab_to(page, consent, limit=5)
    page.keyboard.press("Space")
    tab_to(page, form.get_by_role("button", name="S'inscrire"), limit=5)
    expect(topic).to_be_checked()
    expect(consent).to_be_checked()
    shots.take(page, "formulaire-rempli-au-clavier")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    shots.take(page, "demande-envoyee")
    body = text_body(mail.wait_for_message(address))
    assert "- Concours et votes" in body
    assert "- Actualités du Carburateur" not in body
