"""Every HTML email wears the site's identity: one layout, the logo, the site's colours.

The confirmation of a sign-up, the confirmation of a contest follow, a contest-vote reminder and
a newsletter issue are each sent the way the site sends them, then read as a mail client would:
one document, tables, inline styles, an absolute logo, only the site's palette.

With EMAIL_SHOTS_DIR set, each email is also written there as ``i17-emails-<name>.html``, to be
looked at in a browser.
"""

from __future__ import annotations

import os
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from django.contrib.staticfiles import finders
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from home.models import HomePage, SiteSettings
from members.models import MemberPage
from newsletters import sending
from newsletters.models import NewsletterPage
from programs.models import ContestPage
from reminders.services import request_follow
from subscriptions.emails import EMAIL_LOGO, layout_context
from subscriptions.models import Subscriber, Topic
from tests.factories.newsletters import text_block
from tests.reminders.fixtures import paris

from .issues import make_issue, make_subscribers

pytestmark = pytest.mark.django_db

LOGO_URL = f"http://testserver/static/{EMAIL_LOGO}"
ACCENT = "#8f1d16"
# Every colour an email may use: site/static/css/site.css's palette, and white.
PALETTE = {
    "#1b1b1f",  # --ink
    "#44454d",  # --ink-soft
    "#8f1d16",  # --accent
    "#f5f2ec",  # --paper-alt
    "#d8d4cc",  # --line
    "#ffffff",
}
NAMES = ["confirmation", "reminder_follow", "reminder", "issue"]


@pytest.fixture
def hub_address(home_page: HomePage) -> SiteSettings:
    contact = SiteSettings.for_site(home_page.get_site())
    contact.address = "Pôle entrepreneurial Le Carburateur"
    contact.postal_code = "13015"
    contact.city = "Marseille"
    contact.save()
    return contact


@pytest.fixture
def issue(home_page: HomePage, topics: dict[str, Topic], resident: MemberPage) -> NewsletterPage:
    body = [
        {"type": "heading", "value": {"text": "À la une", "level": "h2"}},
        text_block(
            '<p>Bienvenue aux résidents de mars. <a href="https://www.cma-paca.fr/">La CMA</a> '
            "accompagne leurs premiers pas.</p><ul><li>Un atelier</li><li>Un concours</li></ul>"
        ),
        {
            "type": "call_to_action",
            "value": {"text": "S'inscrire à l'atelier", "page": None, "url": "https://x.fr/a"},
        },
        {"type": "cards", "value": {"heading": "Nos résidents", "pages": [resident.pk]}},
    ]
    return make_issue(home_page, topics["actualites"], body=body)


@pytest.fixture
def emails(
    hub_address: SiteSettings,
    subscribe: Callable[..., Any],
    topic_subscriber: Callable[[str], Subscriber],
    aviva: ContestPage,
    beat: Callable[..., list[Any]],
    issue: NewsletterPage,
    topics: dict[str, Topic],
    django_capture_on_commit_callbacks: Any,
) -> dict[str, EmailMultiAlternatives]:
    """Each kind of HTML email, sent through its real path."""
    sent: dict[str, EmailMultiAlternatives] = {}
    subscribe("marie@example.fr", topics=["actualites", "concours-votes"])
    sent["confirmation"] = mail.outbox[-1]
    with django_capture_on_commit_callbacks(execute=True):
        request_follow("paul@example.fr", aviva, page="/concours/", client_network="")
    sent["reminder_follow"] = mail.outbox[-1]
    topic_subscriber("lea@example.fr")
    [sent["reminder"]] = beat(paris(2025, 4, 4, 23, 59))
    mail.outbox.clear()
    make_subscribers(1, topics["actualites"])
    with django_capture_on_commit_callbacks(execute=True):
        sending.create_send(issue, None)
    [sent["issue"]] = mail.outbox
    if shots := os.environ.get("EMAIL_SHOTS_DIR"):
        for name, message in sent.items():
            Path(shots, f"i17-emails-{name}.html").write_text(html_of(message))
    return sent


def html_of(message: EmailMultiAlternatives) -> str:
    return str(message.alternatives[0][0])


@pytest.mark.parametrize("name", NAMES)
def test_email__one_document_with_the_logo_and_only_the_sites_colours(
    emails: dict[str, EmailMultiAlternatives], name: str
) -> None:
    html = html_of(emails[name])
    soup = BeautifulSoup(html, "html.parser")

    assert html.lstrip().lower().startswith("<!doctype html>")
    assert len(soup.find_all("html")) == 1
    assert len(soup.find_all("body")) == 1
    assert len(soup.find_all("h1")) == 1
    assert soup.html is not None and soup.html.get("lang") == "fr"
    images = soup.find_all("img")
    assert all(image.has_attr("alt") for image in images)
    logo = images[0]
    assert logo["src"] == LOGO_URL
    assert (logo["width"], logo["height"], logo["alt"]) == ("244", "48", "Le Carburateur")
    assert logo.find_parent("a")["href"] == "http://testserver/"
    assert all(table.get("role") == "presentation" for table in soup.find_all("table")), (
        "layout tables only, announced as such to screen readers"
    )
    assert all(re.match(r"https?://", a["href"]) for a in soup.find_all("a", href=True))
    text_links = [a for a in soup.find_all("a") if a.get_text(strip=True)]
    assert all("color:" in a.get("style", "") for a in text_links), "else the client's blue"
    colours = {colour.lower() for colour in re.findall(r"#[0-9a-fA-F]{6}\b", html)}
    assert ACCENT in colours
    assert colours <= PALETTE, f"colours outside the site's palette: {colours - PALETTE}"


@pytest.mark.parametrize("name", NAMES)
def test_email__button_is_the_accent_and_the_footer_says_who_why_and_how_to_stop(
    emails: dict[str, EmailMultiAlternatives], name: str
) -> None:
    message = emails[name]
    soup = BeautifulSoup(html_of(message), "html.parser")

    cell = soup.select_one("table.button td")
    assert cell is not None and cell["bgcolor"] == ACCENT
    assert "color: #ffffff" in cell.a["style"]
    footer = soup.select_one("td.footer")
    assert footer is not None
    footer_text = " ".join(footer.get_text(" ").split())
    assert "Pôle entrepreneurial Le Carburateur, 13015 Marseille" in footer_text
    assert f"l'adresse {message.to[0]}" in footer_text  # why this reader gets it
    unsubscribe = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"])
    assert unsubscribe is not None
    links = {a["href"] for a in footer.find_all("a")}
    assert unsubscribe.group(1) in links
    assert any("/newsletter/preferences/" in link for link in links)


def test_reminder__the_contest_opt_out_sits_in_the_footer(
    emails: dict[str, EmailMultiAlternatives],
) -> None:
    footer = BeautifulSoup(html_of(emails["reminder"]), "html.parser").select_one("td.footer")

    assert footer is not None
    opt_out = reverse("reminders:opt_out", args=["T"])[:-2]
    assert any(opt_out in a["href"] for a in footer.find_all("a"))


@pytest.mark.parametrize("name", NAMES)
def test_email__plain_text_alternative_stays_plain(
    emails: dict[str, EmailMultiAlternatives], name: str
) -> None:
    text = str(emails[name].body)

    assert not re.search(r"<[a-zA-Z/!]|&[a-z]+;|#[0-9a-f]{6}", text), text
    assert "\n\n\n" not in text
    assert "/newsletter/preferences/" in text
    assert "Pôle entrepreneurial Le Carburateur, 13015 Marseille" in text


def test_logo__is_served_by_the_sites_static_files_at_twice_its_displayed_size(
    live_server: Any,
) -> None:
    path = urlsplit(layout_context()["logo_url"]).path

    with urllib.request.urlopen(f"{live_server.url}{path}") as response:  # noqa: S310
        assert response.status == 200
        assert response.headers["Content-Type"] == "image/png"
    found = finders.find(EMAIL_LOGO)
    assert isinstance(found, str)
    with Image.open(found) as logo:
        assert logo.size == (244 * 2, 48 * 2)


def test_footer_address__follows_the_site_settings_once_an_editor_saves_them(
    hub_address: SiteSettings,
) -> None:
    assert layout_context()["postal_address"] == (
        "Pôle entrepreneurial Le Carburateur, 13015 Marseille"
    )

    hub_address.address = "12 rue du Moteur"
    hub_address.save()

    assert layout_context()["postal_address"] == "12 rue du Moteur, 13015 Marseille"


def test_footer_address__falls_back_to_the_district_without_site_settings(
    home_page: HomePage,
) -> None:
    assert layout_context()["postal_address"] == "Marseille 15e"
