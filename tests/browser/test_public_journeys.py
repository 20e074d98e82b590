"""A visitor's journeys through the public site, in Chromium, with a screenshot at each step."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .harness import MailCatcher, Screenshots, link_in

pytestmark = pytest.mark.browser


def test_directory__home_page_to_a_resident_through_the_menu_and_the_filters(
    page: Any, shots: Screenshots
) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_have_count(1)
    shots.take(page, "accueil")

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Les résidents"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les résidents")
    expect(page.locator("#resultats")).to_have_text("8 résidents")
    shots.take(page, "annuaire")

    page.get_by_label("Espace occupé").select_option(label="Atelier")
    page.get_by_label("Statut").select_option(label="Artisans")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#resultats")).to_have_text("3 résidents pour ces critères")
    cards = page.locator(".member-card .card__title")
    expect(cards).to_have_text(
        ["Atelier Fil Rouge", "Bois de l'Estaque", "Savons du Vallon"], ignore_case=False
    )
    assert "space=atelier" in page.url and "artisan=oui" in page.url
    shots.take(page, "annuaire-ateliers-artisans")

    page.get_by_label("Métier").select_option(label="Ébénisterie")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#resultats")).to_have_text("1 résident pour ces critères")
    # The filters keep their values after the page reloads.
    expect(page.get_by_label("Espace occupé")).to_have_value("atelier")
    shots.take(page, "annuaire-ebenisterie")

    page.get_by_role("link", name="Bois de l'Estaque").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bois de l'Estaque")
    expect(page.locator("body")).to_have_class("member-page")
    expect(page.get_by_role("navigation", name="Fil d'Ariane")).to_contain_text("Les résidents")
    shots.take(page, "resident")


def test_newsletter__subscribe_in_the_footer_confirm_by_email_change_topics_unsubscribe(
    page: Any, shots: Screenshots, mail: MailCatcher
) -> None:
    address = "parcours-pied@example.fr"
    page.goto("/actualites/")
    signup = page.locator("footer form.newsletter-signup")
    signup.get_by_label("Adresse électronique").fill(address)
    signup.get_by_label("Actualités du Carburateur").check()
    signup.get_by_label("J'accepte de recevoir").check()
    signup.scroll_into_view_if_needed()
    shots.take(page, "formulaire-pied-de-page")

    signup.get_by_role("button", name="S'inscrire").click()
    expect(page).to_have_url(re.compile(r"/newsletter/merci/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    shots.take(page, "verifiez-votre-messagerie")

    message = mail.wait_for_message(address)
    page.goto(link_in(message, "/newsletter/confirmer/"))
    # Opening the link confirms nothing (mail filters open links): the button does.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer votre inscription")
    shots.take(page, "confirmer-votre-inscription")
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscription confirmée")
    shots.take(page, "inscription-confirmee")

    preferences_url = link_in(message, "/newsletter/preferences/")
    page.goto(preferences_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos lettres d'information")
    topics = page.get_by_role("group", name="Thèmes que vous recevez")
    expect(topics.get_by_label("Actualités du Carburateur")).to_be_checked()
    expect(topics.get_by_label("Concours et votes")).not_to_be_checked()
    topics.get_by_label("Actualités du Carburateur").uncheck()
    topics.get_by_label("Concours et votes").check()
    topics.get_by_label("Formations et réunions de la CMA").check()
    page.get_by_role("button", name="Enregistrer mes thèmes").click()
    expect(page.get_by_role("status")).to_have_text("Vos préférences sont enregistrées.")
    shots.take(page, "preferences-enregistrees")

    page.goto(preferences_url)
    expect(topics.get_by_label("Actualités du Carburateur")).not_to_be_checked()
    expect(topics.get_by_label("Concours et votes")).to_be_checked()
    expect(topics.get_by_label("Formations et réunions de la CMA")).to_be_checked()

    page.get_by_role("button", name="Me désinscrire de toutes les lettres").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes désinscrit·e")
    shots.take(page, "desinscription")

    page.goto(preferences_url)
    expect(page.get_by_text("vous ne recevez plus aucune lettre")).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer mes thèmes")).to_have_count(0)
