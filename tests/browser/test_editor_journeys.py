"""Editors' journeys in the Wagtail admin, each person in their own browser context.

The accounts are made with ``live_site.create_user`` in the groups of the editorial app's data
migration; the notifications the workflow sends arrive at the test's SMTP server.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from editorial.roles import CHAMBER, COMMUNICATION
from tests.services import wait_for

from .harness import LiveSite, MailCatcher, Screenshots, link_in, log_in, subject, text_body

pytestmark = pytest.mark.browser

CMA = "Chambre de métiers et de l'artisanat"


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


def start_child_page(page: Any, parent: str, page_type: str, title: str) -> None:
    """Find ``parent`` with the admin's page search, add a child page there (Wagtail goes
    straight to the form when only one type is allowed) and type its title."""
    page.goto(f"/admin/pages/search/?q={parent.split()[0]}")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=parent, exact=True))
    row.get_by_role("button", name=re.compile("Plus d.options")).click()
    row.get_by_role("link", name="Ajouter une sous-page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(page_type)
    field = page.get_by_role("textbox", name="Titre*")
    field.fill(title)
    field.blur()  # the slug follows the title when the field loses the focus


# --- The joint article: Communication writes, a colleague reviews, the chamber validates ------

TITLE = "Atelier numérique avec la CMA"


def open_actions_of(page: Any, row_text: str) -> Any:
    """The row of the dashboard's "awaiting your review" panel for ``row_text``, menu open."""
    row = page.get_by_role("row").filter(has_text=row_text)
    row.get_by_role("button", name="Actions").click()
    return row


def submit_from_the_editor(page: Any, action: str) -> None:
    """Open the action menu's more actions and click ``action`` (e.g. « Soumettre à … »)."""
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name=action).click()
    expect(page.locator(".messages")).to_contain_text("a été soumise à relecture")


def test_joint_article__written_reviewed_sent_back_by_the_chamber_corrected_and_published(
    open_page: Any, live_site: LiveSite, shots: Screenshots, mail: MailCatcher
) -> None:
    live_site.create_user("redaction", "mot-de-passe-redaction", groups=(COMMUNICATION,))
    live_site.create_user("relecture", "mot-de-passe-relecture", groups=(COMMUNICATION,))
    live_site.create_user("chambre", "mot-de-passe-chambre", groups=(CHAMBER,))

    # The communications editor writes the article under the news and marks it joint.
    editor = open_page()
    log_in(editor, "redaction", "mot-de-passe-redaction")
    start_child_page(editor, "Actualités", "Article", TITLE)
    editor.get_by_role("textbox", name="Chapeau").fill(
        "Le Carburateur et la CMA invitent les résidents à un atelier sur les outils numériques."
    )
    editor.get_by_role("tab", name="Paramètres").click()
    editor.get_by_role("button", name=re.compile("Choisissez une page")).click()
    editor.get_by_role("dialog").get_by_role("link", name=CMA).click()
    expect(editor.get_by_role("tabpanel", name="Paramètres")).to_contain_text(CMA)
    shots.take(editor, "redaction-contenu-conjoint-avec-la-cma")
    editor.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(editor.locator(".messages")).to_contain_text(f"Page « {TITLE} » créée.")
    edit_url = editor.url
    # Saved as joint, the page goes to the joint workflow, and the menu says so.
    submit_from_the_editor(editor, "Soumettre à Contenu conjoint")
    shots.take(editor, "redaction-soumis")

    # Four eyes: the author is not offered the review of their own version.
    editor.goto("/admin/")
    author_review = (
        editor.locator("#awaiting-review-section").get_by_role("row").filter(has_text=TITLE)
    )
    expect(author_review).to_have_count(0)

    # A colleague of the communications team approves from their dashboard.
    mail.wait_for_message("relecture@example.fr", f"Contenu à relire : « {TITLE} »")
    colleague = open_page()
    log_in(colleague, "relecture", "mot-de-passe-relecture")
    row = open_actions_of(colleague, TITLE)
    shots.take(colleague, "relecture-tableau-de-bord")
    row.get_by_role("button", name="Approuver", exact=True).click()
    expect(colleague).to_have_url(re.compile(r"/admin/$"))

    # The chamber's approver finds it first on the dashboard and asks for changes.
    chamber_mail = mail.wait_for_message(
        "chambre@example.fr", f"Contenu conjoint à valider : « {TITLE} »"
    )
    chamber = open_page()
    log_in(chamber, "chambre", "mot-de-passe-chambre")
    first_panel = chamber.locator("main .w-panel").first
    expect(first_panel.get_by_role("heading", name="En attente de la Chambre")).to_be_visible()
    expect(first_panel.get_by_role("row").nth(1)).to_contain_text(TITLE)
    shots.take(chamber, "chambre-tableau-de-bord")
    first_panel.get_by_role("row").nth(1).get_by_role("link", name="Relire et décider").click()
    assert chamber.url == link_in(chamber_mail, "/admin/editorial/"), (
        "Le lien du courriel et le tableau de bord mènent à la même relecture."
    )
    expect(chamber.get_by_role("heading", level=1)).to_contain_text(f"Relecture : {TITLE}")
    request = "Merci d'indiquer la date et le lieu de l'atelier."
    chamber.get_by_label("Modifications demandées").fill(request)
    shots.take(chamber, "chambre-demande-des-modifications")
    chamber.get_by_role("button", name="Demander des modifications").click()
    expect(chamber).to_have_url(re.compile(r"/admin/$"))
    expect(chamber.locator("main .w-panel").first).to_contain_text(
        "Aucun contenu conjoint n'attend votre validation."
    )

    # The editor reads the request in the email and in the page's history, then corrects.
    changes = mail.wait_for_message(
        "redaction@example.fr", f"Modifications demandées sur « {TITLE} »"
    )
    assert request in text_body(changes)
    editor.goto("/admin/")
    expect(editor.get_by_role("row").filter(has_text=TITLE).first).to_contain_text(
        "Modifications demandées"
    )
    editor.goto(link_in(changes, "/admin/pages/"))
    assert editor.url == edit_url
    editor.get_by_role("link", name="Historique").first.click()
    expect(editor.get_by_role("main")).to_contain_text(request)
    shots.take(editor, "redaction-historique-avec-la-demande")
    editor.goto(edit_url)
    editor.get_by_role("textbox", name="Chapeau").fill(
        "Le Carburateur et la CMA invitent les résidents à un atelier sur les outils "
        "numériques, le jeudi 10 décembre à 14 h, salle Ferrié."
    )
    submit_from_the_editor(editor, "Resoumettre à Validation Chambre")

    # Nothing is public before the chamber's approval.
    visitor = open_page()
    visitor.goto("/actualites/")
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)

    chamber.goto("/admin/")
    first_panel.get_by_role("row").nth(1).get_by_role("link", name="Relire et décider").click()
    chamber.get_by_label("Commentaire (facultatif)").fill("Validé pour la CMA.")
    chamber.get_by_role("button", name="Approuver").click()
    expect(chamber).to_have_url(re.compile(r"/admin/$"))
    shots.take(chamber, "chambre-a-valide")

    # The communications approval was given to the previous version, and Wagtail asks for it
    # again on the corrected one (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT): the colleague
    # approves it, and the version the chamber signed goes live.
    visitor.goto("/actualites/")
    expect(visitor.get_by_role("link", name=TITLE)).to_have_count(0)
    mail.wait_for_message("relecture@example.fr", f"Contenu à relire : « {TITLE} »", count=2)
    colleague.goto("/admin/")
    row = open_actions_of(colleague, TITLE)
    row.get_by_role("button", name="Approuver", exact=True).click()
    expect(colleague).to_have_url(re.compile(r"/admin/$"))

    mail.wait_for_message("redaction@example.fr", f"« {TITLE} » est approuvé")
    visitor.goto("/actualites/")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(visitor.get_by_role("main")).to_contain_text("salle Ferrié")
    expect(visitor.get_by_role("complementary", name="Co-publication")).to_contain_text(
        "Contenu publié conjointement avec"
    )
    shots.take(visitor, "article-en-ligne")


# --- A newsletter issue: written, previewed, tested, approved, sent -----------------------

ISSUE = "La lettre de décembre"
ISSUE_SUBJECT = "Décembre au Carburateur"
ISSUE_TEXT = "Bonjour à toutes et à tous, voici les nouvelles de décembre."


def test_newsletter_issue__written_previewed_tested_approved_then_sent_to_every_subscriber(
    open_page: Any, live_site: LiveSite, shots: Screenshots, mail: MailCatcher
) -> None:
    live_site.create_user("lettre", "mot-de-passe-lettre", groups=(COMMUNICATION,))
    live_site.create_user("lettre-relecture", "mot-de-passe-relecture", groups=(COMMUNICATION,))

    editor = open_page()
    log_in(editor, "lettre", "mot-de-passe-lettre")
    start_child_page(editor, "Lettres d'information", "Lettre d'information", ISSUE)
    editor.get_by_role("textbox", name="Objet du courriel*").fill(ISSUE_SUBJECT)
    editor.get_by_role("textbox", name="Texte d'aperçu").fill("Les ateliers et les résidents.")
    editor.get_by_role("combobox", name="Thème*").select_option(label="Actualités du Carburateur")
    body = editor.locator("#panel-child-contenu-body-section")
    body.get_by_role("button", name="Insérer un bloc").click()
    editor.get_by_role("option", name="Texte").click()
    body.get_by_role("textbox").click()
    # Draftail keeps its text in a hidden input, written once the typing settles.
    editor.keyboard.type(ISSUE_TEXT)
    expect(body.locator("input[name='body-0-value']")).to_have_value(re.compile("décembre"))
    shots.take(editor, "redaction-de-la-lettre")
    editor.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(editor.locator(".messages")).to_contain_text(f"Page « {ISSUE} » créée.")
    edit_url = editor.url

    # The send page: previews of the saved draft, a test to the editor's own address.
    editor.get_by_role("link", name="Aperçu du courriel, test et envoi").click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Envoyer la lettre")
    expect(editor.get_by_role("main")).to_contain_text("La lettre n'est pas publiée")
    for label, expected in (("HTML", ISSUE_TEXT), ("texte", ISSUE_TEXT)):
        with editor.context.expect_page() as preview_info:
            editor.get_by_role("link", name=label, exact=True).click()
        preview = preview_info.value
        expect(preview.locator("body")).to_contain_text(expected)
        shots.take(preview, f"apercu-{label}")
        preview.close()
    editor.get_by_role("button", name="Envoyer un test").click()
    expect(editor.locator(".messages")).to_contain_text("Test envoyé à : lettre@example.fr")
    test = mail.wait_for_message("lettre@example.fr", f"[Test] {ISSUE_SUBJECT}")
    assert ISSUE_TEXT in text_body(test)
    shots.take(editor, "test-envoye")

    # Approval: the issue goes through "Relecture" like any page; a colleague approves it.
    editor.goto(edit_url)
    submit_from_the_editor(editor, "Soumettre à Relecture")
    colleague = open_page()
    log_in(colleague, "lettre-relecture", "mot-de-passe-relecture")
    row = open_actions_of(colleague, ISSUE)
    row.get_by_role("button", name="Approuver", exact=True).click()
    expect(colleague).to_have_url(re.compile(r"/admin/$"))

    # Now, to the confirmed subscribers of the topic.
    editor.goto(edit_url)
    editor.get_by_role("link", name="Aperçu du courriel, test et envoi").click()
    expect(editor.get_by_role("main")).not_to_contain_text("L'envoi n'est pas possible")
    recipients = int(
        re.search(r"(\d+) destinataires? à ce jour", editor.get_by_role("main").inner_text())[1]
    )
    assert recipients >= 2, "La démo doit compter des abonné·es confirmé·es aux actualités."
    editor.get_by_role("radio", name="Maintenant").check()
    editor.get_by_role("button", name="Envoyer…").click()
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Confirmer l'envoi")
    expect(editor.get_by_role("main")).to_contain_text(ISSUE_SUBJECT)
    shots.take(editor, "confirmer-l-envoi")
    editor.get_by_role("button", name="Confirmer l'envoi").click()

    expect(editor.get_by_role("heading", level=1)).to_contain_text("Suivi de l'envoi")
    # The page refreshes itself while the send runs. The served site runs Celery tasks
    # eagerly, inside the request that confirms the send, so the first display may already
    # say 100 %; the sends through real workers are tested in tests/newsletters/.
    expect(editor.locator("progress")).to_have_attribute("value", "100", timeout=60_000)
    expect(editor.locator(".messages")).to_contain_text("L'envoi a commencé.")
    expect(editor.get_by_role("status").filter(has_text="État")).to_contain_text("État : terminé")
    expect(editor.get_by_role("row", name="Envoyés")).to_contain_text(str(recipients))
    shots.take(editor, "envoi-termine")

    def copies() -> list[Any]:
        return [
            message for message in list(mail.inbox.messages) if subject(message) == ISSUE_SUBJECT
        ]

    wait_for(lambda: len(copies()) >= recipients, f"{recipients} exemplaires de la lettre", 30)
    sent = copies()
    assert len({message["To"] for message in sent}) == recipients
    assert all(ISSUE_TEXT in text_body(message) for message in sent)
