"""Each door to a review decision, in Chromium, from submission to live (or back to the author).

The doors: the editor's footer, the editor's approve-with-comment dialog, the dashboard's task
list and its dialog, the link in the notification email and the chamber's review page. Every
decision must land on the person's dashboard with a French message, create no revision when
nothing was changed, and never loop the page back to a step nobody can act on. The joint
article's first journey (dashboard and review page) is in ``test_editor_journeys.py``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from editorial.roles import CHAMBER, COMMUNICATION

from .harness import LiveSite, MailCatcher, Screenshots, link_in, log_in

pytestmark = pytest.mark.browser

PASSWORD = "mot-de-passe-de-test"

NEW_DRAFT = """
import os
from django.contrib.auth import get_user_model
from wagtail.models import Page
from newsletters.models import NewsletterIndexPage, NewsletterPage
from subscriptions.models import Topic
from news.models import ArticlePage, NewsIndexPage
from programs.models import PartnerPage

author = get_user_model().objects.get(username=os.environ["B_AUTHOR"])
cma = PartnerPage.objects.get(short_name="CMA")
title, kind = os.environ["B_TITLE"], os.environ["B_KIND"]
body = [("paragraph", "<p>Texte relu par la Chambre.</p>")]
if kind == "article":
    page = ArticlePage(title=title, introduction="Une visite.", body=body, joint_partner=cma)
    parent = NewsIndexPage.objects.get()
else:
    page = NewsletterPage(
        title=title, subject=title, topic=Topic.objects.order_by("pk").first(),
        body=[("text", "<p>Texte relu par la Chambre.</p>")], joint_partner=cma,
    )
    parent = NewsletterIndexPage.objects.get()
page.live = False
page.owner = author
parent.add_child(instance=page)
page.save_revision(user=author)
print(page.pk)
"""


def people(live_site: LiveSite, prefix: str) -> dict[str, str]:
    """An author and a reviewer of the communications team, and a chamber approver."""
    names = {
        "author": f"{prefix}-redaction",
        "reviewer": f"{prefix}-relecture",
        "chamber": f"{prefix}-chambre",
    }
    live_site.create_user(names["author"], PASSWORD, groups=(COMMUNICATION,))
    live_site.create_user(names["reviewer"], PASSWORD, groups=(COMMUNICATION,))
    live_site.create_user(names["chamber"], PASSWORD, groups=(CHAMBER,))
    return names


def new_draft(live_site: LiveSite, author: str, title: str, kind: str = "article") -> int:
    output = live_site.manage(
        "shell",
        "-c",
        NEW_DRAFT,
        extra_env={"B_AUTHOR": author, "B_TITLE": title, "B_KIND": kind},
    )
    return int(output.strip().splitlines()[-1])


def signed_in(open_page: Any, username: str) -> Any:
    page = open_page()
    log_in(page, username, PASSWORD)
    return page


def footer_action(page: Any, name: str) -> None:
    """Open the editor footer's menu and press ``name``."""
    page.get_by_role("button", name="Plus d'actions").click()
    page.get_by_role("button", name=name, exact=True).click()


def submit_in_the_editor(author: Any, page_id: int) -> None:
    author.goto(f"/admin/pages/{page_id}/edit/")
    footer_action(author, "Soumettre à Contenu conjoint")
    expect(author.locator(".messages")).to_contain_text("a été soumise")


def revisions(live_site: LiveSite, page_id: int) -> int:
    code = (
        "from wagtail.models import Revision; "
        f"print(Revision.objects.filter(object_id='{page_id}').count())"
    )
    return int(live_site.manage("shell", "-c", code).strip().splitlines()[-1])


def expect_dashboard_says(page: Any, text: str) -> None:
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator(".messages")).to_contain_text(text)


def test_joint_article__reviewer_approves_in_the_editor_footer_chamber_from_its_task_list(
    open_page: Any, live_site: LiveSite, shots: Screenshots
) -> None:
    who = people(live_site, "pied")
    title = "Les artisans du 15e reçoivent la CMA"
    page_id = new_draft(live_site, who["author"], title)
    submit_in_the_editor(signed_in(open_page, who["author"]), page_id)
    before = revisions(live_site, page_id)

    # The reviewer reads the article in the editor, is told what an edit would mean, and
    # approves from the footer without changing anything.
    reviewer = signed_in(open_page, who["reviewer"])
    reviewer.goto(f"/admin/pages/{page_id}/edit/")
    expect(reviewer.locator(".messages")).to_contain_text("Vous relisez cette page")
    shots.take(reviewer, "relecture-dans-l-editeur")
    footer_action(reviewer, "Approuver")
    expect_dashboard_says(reviewer, "Le contenu passe à l'étape « Validation Chambre »")
    shots.take(reviewer, "relecture-approuvee")
    assert revisions(live_site, page_id) == before, "Approuver sans rien changer ne crée rien."

    # The chamber approves from Wagtail's task list on its dashboard and stays there.
    chamber = signed_in(open_page, who["chamber"])
    row = chamber.locator("#awaiting-review-section").get_by_role("row").filter(has_text=title)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approuver", exact=True).click()
    expect_dashboard_says(chamber, "le contenu est en ligne")
    shots.take(chamber, "chambre-approuve-depuis-le-tableau-de-bord")

    visitor = open_page()
    visitor.goto("/actualites/")
    expect(visitor.get_by_role("link", name=title)).to_be_visible()


def test_joint_article__dialog_in_the_editor_then_chamber_sends_it_back_from_its_email(
    open_page: Any, live_site: LiveSite, mail: MailCatcher, shots: Screenshots
) -> None:
    who = people(live_site, "dialogue")
    title = "Permanence CMA : créer son entreprise artisanale"
    page_id = new_draft(live_site, who["author"], title)
    author = signed_in(open_page, who["author"])
    submit_in_the_editor(author, page_id)
    before = revisions(live_site, page_id)

    reviewer = signed_in(open_page, who["reviewer"])
    reviewer.goto(f"/admin/pages/{page_id}/edit/")
    footer_action(reviewer, "Approuver avec un commentaire")
    dialog = reviewer.get_by_role("dialog")
    dialog.get_by_role("textbox").fill("Relu, les horaires sont justes.")
    shots.take(reviewer, "dialogue-approuver-avec-un-commentaire")
    dialog.get_by_role("button", name=re.compile("Approuver")).click()
    expect_dashboard_says(reviewer, "Le contenu passe à l'étape « Validation Chambre »")
    assert revisions(live_site, page_id) == before

    # The chamber follows the link in its email, asks for changes, lands on its dashboard.
    notice = mail.wait_for_message(
        f"{who['chamber']}@example.fr", f"Contenu conjoint à valider : « {title} »"
    )
    chamber = signed_in(open_page, who["chamber"])
    chamber.goto(link_in(notice, "/admin/editorial/"))
    chamber.get_by_label("Modifications demandées").fill("Ajoutez l'adresse de la permanence.")
    chamber.get_by_role("button", name="Demander des modifications").click()
    expect_dashboard_says(chamber, "Vous avez demandé des modifications")
    shots.take(chamber, "chambre-demande-des-modifications")

    author.goto("/admin/")
    expect(author.get_by_role("row").filter(has_text=title).first).to_contain_text(
        "Modifications demandées"
    )


def test_joint_newsletter__sent_back_in_the_editor_then_approved_from_email_and_dialog(
    open_page: Any, live_site: LiveSite, mail: MailCatcher, shots: Screenshots
) -> None:
    who = people(live_site, "lettre-portes")
    title = "La lettre commune avec la CMA"
    page_id = new_draft(live_site, who["author"], title, kind="newsletter")
    author = signed_in(open_page, who["author"])
    submit_in_the_editor(author, page_id)

    # First round: the reviewer sends it back from the editor's footer.
    reviewer = signed_in(open_page, who["reviewer"])
    reviewer.goto(f"/admin/pages/{page_id}/edit/")
    footer_action(reviewer, "Demander des modifications")
    reviewer.get_by_role("dialog").get_by_role("textbox").fill("Précisez l'objet.")
    reviewer.get_by_role("dialog").get_by_role("button", name=re.compile("Demander")).click()
    expect_dashboard_says(reviewer, "Vous avez demandé des modifications")

    # The author resubmits; the reviewer approves from the link in the new email.
    author.goto(f"/admin/pages/{page_id}/edit/")
    footer_action(author, "Resoumettre à Relecture Communication")
    notice = mail.wait_for_message(
        f"{who['reviewer']}@example.fr", f"Contenu à relire : « {title} »", count=2
    )
    reviewer.goto(link_in(notice, "/admin/editorial/"))
    reviewer.get_by_role("button", name="Approuver").click()
    expect_dashboard_says(reviewer, "Le contenu passe à l'étape « Validation Chambre »")

    # The chamber approves with a comment from its dashboard's dialog: the issue is live,
    # ready to be sent.
    chamber = signed_in(open_page, who["chamber"])
    row = chamber.locator("#awaiting-review-section").get_by_role("row").filter(has_text=title)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approuver avec un commentaire").click()
    chamber.get_by_role("dialog").get_by_role("textbox").fill("Bon pour envoi.")
    chamber.get_by_role("dialog").get_by_role("button", name=re.compile("Approuver")).click()
    expect_dashboard_says(chamber, "le contenu est en ligne")
    shots.take(chamber, "chambre-approuve-la-lettre")

    author.goto(f"/admin/pages/{page_id}/edit/")
    author.get_by_role("link", name="Aperçu du courriel, test et envoi").click()
    expect(author.get_by_role("main")).not_to_contain_text("La lettre n'est pas publiée")


def test_reviewer_who_edits_before_approving__is_told_and_another_colleague_reviews(
    open_page: Any, live_site: LiveSite, shots: Screenshots
) -> None:
    who = people(live_site, "retouche")
    live_site.create_user("retouche-collegue", PASSWORD, groups=(COMMUNICATION,))
    title = "Atelier comptabilité avec la CMA"
    page_id = new_draft(live_site, who["author"], title)
    submit_in_the_editor(signed_in(open_page, who["author"]), page_id)

    reviewer = signed_in(open_page, who["reviewer"])
    reviewer.goto(f"/admin/pages/{page_id}/edit/")
    expect(reviewer.locator(".messages")).to_contain_text("un autre membre de l'équipe")
    reviewer.get_by_role("textbox", name="Chapeau").fill("Une visite, avec les horaires.")
    footer_action(reviewer, "Approuver")
    expect_dashboard_says(reviewer, "Votre approbation ne porte pas sur elles")
    shots.take(reviewer, "relecture-avec-modifications")
    # Four eyes on the reviewer's own version: nothing for them to approve.
    expect(
        reviewer.locator("#awaiting-review-section").get_by_role("row").filter(has_text=title)
    ).to_have_count(0)

    colleague = signed_in(open_page, "retouche-collegue")
    row = colleague.locator("#awaiting-review-section").get_by_role("row").filter(has_text=title)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approuver", exact=True).click()
    expect_dashboard_says(colleague, "Le contenu passe à l'étape « Validation Chambre »")
