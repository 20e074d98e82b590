"""axe-core on every public page type and every newsletter page: nothing serious or critical.

Moderate and minor findings do not fail the tests; they go to the run's ``axe-report.md``
and the summary printed at the end of the run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .harness import Accessibility, AxeFinding, BrowserRun, MailCatcher, Screenshots, link_in

pytestmark = pytest.mark.browser

# (label, path, the body class that proves the page is of the intended type)
PUBLIC_PAGES = [
    ("accueil", "/", "home-page"),
    ("page standard", "/le-carburateur/", "standard-page"),
    ("annuaire des résidents", "/residents/", "member-index-page"),
    ("annuaire filtré", "/residents/?space=atelier&artisan=oui", "member-index-page"),
    ("résident", "/residents/la-compagnie-des-bocaux/", "member-page"),
    ("actualités", "/actualites/", "news-index-page"),
    ("article commun avec la CMA", "/actualites/visite-de-monique-cassar/", "article-page"),
    ("programmes", "/programmes/", "program-index-page"),
    ("programme", "/programmes/accompagnement/", "program-page"),
    ("agenda", "/agenda/", "event-index-page"),
    ("événement", "/agenda/reunions-cma-semaine-1/", "event-page"),
    ("partenaires", "/partenaires/", "partner-index-page"),
    ("partenaire", "/partenaires/cma/", "partner-page"),
    ("concours", "/concours/", "contest-index-page"),
    ("concours ouvert", "/concours/la-fabrique-aviva/", "contest-page"),
    ("recherche", "/recherche/?q=artisan", "search-page"),
    ("mentions légales", "/mentions-legales/", "legal-page"),
    ("politique de confidentialité", "/politique-de-confidentialite/", "legal-page"),
    ("déclaration d'accessibilité", "/declaration-d-accessibilite/", "legal-page"),
]


def blocking_report(findings: list[AxeFinding]) -> str:
    return "Violations graves ou critiques :\n" + "\n".join(
        f"{finding.describe()}\n    {finding.help_url}" for finding in findings
    )


def test_axe_check__reports_the_serious_and_critical_violations_of_a_page(
    page: Any, accessibility: Accessibility, tmp_path: Path
) -> None:
    """The control: on a page with known faults, the check returns them (and fails tests)."""
    checker = Accessibility(accessibility.source, BrowserRun(tmp_path))
    page.goto("/")
    # The pale colours are set through the CSSOM: a style="" attribute would be blocked by
    # the site's Content-Security-Policy (style-src 'self').
    page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend',
            '<img src="/static/img/favicon.svg"><button></button><p>Texte pâle</p>');
          const pale = main.lastElementChild;
          pale.style.color = '#bbb';
          pale.style.background = '#fff';
        }"""
    )

    blocking = checker.check(page, "contrôle")

    assert {finding.rule for finding in blocking} >= {"image-alt", "button-name", "color-contrast"}
    assert all(finding.page != "contrôle" for finding in accessibility.run.findings)


@pytest.mark.parametrize(
    ("label", "path", "body_class"), PUBLIC_PAGES, ids=[path for _, path, _ in PUBLIC_PAGES]
)
def test_public_page__no_serious_or_critical_axe_violation(
    page: Any, accessibility: Accessibility, label: str, path: str, body_class: str
) -> None:
    response = page.goto(path)

    assert response is not None and response.status == 200
    expect(page.locator("body")).to_have_class(body_class)
    expect(page.locator("h1")).to_have_count(1)
    blocking = accessibility.check(page, label)
    assert not blocking, blocking_report(blocking)


def test_home_page_on_a_phone__no_serious_or_critical_axe_violation(
    open_page: Any, accessibility: Accessibility
) -> None:
    page = open_page({"width": 390, "height": 844})
    page.goto("/")

    blocking = accessibility.check(page, "accueil sur téléphone")
    assert not blocking, blocking_report(blocking)


def test_public_pages__reflow_at_320_css_pixels_with_the_menu_open(open_page: Any) -> None:
    """WCAG 1.4.10: nothing makes a 320 px wide screen scroll sideways."""
    page = open_page({"width": 320, "height": 640})
    too_wide = {}
    for _label, path, _body_class in PUBLIC_PAGES:
        page.goto(path)
        page.get_by_text("Menu", exact=True).click()
        expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if width > 320:
            too_wide[path] = width

    assert not too_wide, f"Pages plus larges que l'écran (px) : {too_wide}"


def test_missing_page__no_serious_or_critical_axe_violation(
    page: Any, accessibility: Accessibility
) -> None:
    response = page.goto("/cette-page-n-existe-pas/")

    assert response is not None and response.status == 404
    blocking = accessibility.check(page, "page introuvable")
    assert not blocking, blocking_report(blocking)


def test_newsletter_pages__no_serious_or_critical_axe_violation(
    page: Any, accessibility: Accessibility, shots: Screenshots, mail: MailCatcher
) -> None:
    """Sign-up (empty, then with errors), thanks, confirmation, preferences, unsubscription."""
    address = "axe-lettres@example.fr"
    blocking: list[AxeFinding] = []

    def check(label: str) -> None:
        shots.take(page, label)
        blocking.extend(accessibility.check(page, label))

    page.goto("/newsletter/")
    form = page.locator("main form.newsletter-signup")
    check("inscription")

    # Chromium would stop an empty form itself; the server's answer is what browsers without
    # constraint validation show, and it must be just as accessible.
    form.evaluate("form => { form.noValidate = true; }")
    form.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_text("Indiquez votre adresse électronique.")).to_be_visible()
    check("inscription avec erreurs")

    form.get_by_label("Adresse électronique").fill(address)
    form.get_by_label("Formations et réunions de la CMA").check()
    form.get_by_label("J'accepte de recevoir").check()
    form.get_by_role("button", name="S'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    check("demande envoyée")

    message = mail.wait_for_message(address)
    page.goto(link_in(message, "/newsletter/confirmer/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmer votre inscription")
    check("confirmer l'inscription")
    page.get_by_role("button", name="Confirmer mon inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inscription confirmée")
    check("confirmation")

    page.goto(link_in(message, "/newsletter/preferences/"))
    expect(page.get_by_role("button", name="Enregistrer mes thèmes")).to_be_visible()
    check("préférences")

    # The List-Unsubscribe header names the page a mail client opens to unsubscribe.
    [unsubscribe_url] = re.findall(
        r"<(https?://[^>]+)>", re.sub(r"\s", "", message["List-Unsubscribe"])
    )
    page.goto(unsubscribe_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Se désinscrire")
    check("désinscription")

    page.get_by_role("button", name="Confirmer ma désinscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vous êtes désinscrit·e")
    check("désinscription enregistrée")

    assert not blocking, blocking_report(blocking)
