"""One base URL everywhere: every absolute URL the site emits starts with SITE_URL.

The crawl goes over the demo content as a visitor and a feed reader would (pages, sitemap.xml,
robots.txt, RSS feeds, .ics files), signs up to the newsletter and renders the demo issue, and
collects every absolute URL it meets. The test client asks for ``testserver``: the site must
still say SITE_URL, never the host it was asked for, nor the Site record's old ``localhost``.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from html import unescape
from urllib.parse import urlsplit

import pytest

from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, override_settings

from wagtail.models import Site

from newsletters import rendering
from newsletters.models import NewsletterPage
from ops.site_url import absolute_url, parse_site_url, sync_default_site
from subscriptions.models import ConsentWording

SITE_URL = "http://127.0.0.1:8000"
# Hosts that name this site under another address: none may appear in what it emits.
WRONG_HOSTS = ("localhost", "testserver", "lecarburateur.fr")
ABSOLUTE = re.compile(r"""https?://[^\s"'<>()\\]+""")
LINK = re.compile(r"""(?:href|src)="([^"]+)\"""")
NOT_CRAWLED = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/", "/anymail/")
MAX_FETCHES = 300


def _is_ours(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return host in {"localhost", "testserver", "127.0.0.1"} or host.endswith("lecarburateur.fr")


def _text(response: object) -> str:
    body = unescape(response.content.decode())  # type: ignore[attr-defined]
    # Calendar files fold long lines (RFC 5545): a URL may go on over the next line.
    return body.replace("\r\n ", "").replace("\n ", "")


def _internal_path(link: str) -> str | None:
    """The path to follow for a link of the site, or None for another site or a file."""
    if link.startswith("//") or link.startswith(("mailto:", "tel:", "#")):
        return None
    if link.startswith(("http://", "https://")):
        if not _is_ours(link):
            return None
        parts = urlsplit(link)
        link = parts.path + (f"?{parts.query}" if parts.query else "")
    if not link.startswith("/") or link.startswith(NOT_CRAWLED):
        return None
    return link.split("#")[0]


def _crawl(client: Client) -> Iterator[tuple[str, str, str]]:
    """Each (kind, path, absolute URL) met on the site, following its own links."""
    queue = deque(["/", "/sitemap.xml", "/robots.txt", "/newsletter/"])
    seen = set(queue)
    # Filters and pages of a listing show the same links again: one variant of each is enough.
    with_query: set[str] = set()
    fetches = 0
    while queue and fetches < MAX_FETCHES:
        path = queue.popleft()
        response = client.get(path)
        fetches += 1
        assert response.status_code in {200, 301, 302, 404}, path
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or response.streaming:
            continue
        kind = content_type.split(";")[0]
        text = _text(response)
        for url in ABSOLUTE.findall(text):
            yield kind, path, url.rstrip(".,;")
        links = LINK.findall(text) + ABSOLUTE.findall(text)
        for link in links:
            follow = _internal_path(link)
            if follow is None or follow in seen:
                continue
            bare = follow.split("?")[0]
            if "?" in follow and bare in with_query:
                continue
            seen.add(follow)
            if "?" in follow:
                with_query.add(bare)
            queue.append(follow)


def _email_urls(client: Client, captured_callbacks: object) -> list[str]:
    """The URLs in the confirmation email of a sign-up and in the demo newsletter issue."""
    with captured_callbacks(execute=True):  # type: ignore[operator]
        answer = client.post(
            "/newsletter/",
            {
                "email": "marie@example.fr",
                "topics": ["actualites"],
                "consent": "on",
                "consent_version": ConsentWording.current().version,
                "source": "/newsletter/",
                "website": "",
            },
        )
    assert answer.status_code == 302  # the sign-up was valid: an email was due
    messages = list(mail.outbox)
    issue = NewsletterPage.objects.get(slug="lettre-du-printemps")
    messages += rendering.test_messages(issue, ["relecture@example.org"])
    urls: list[str] = []
    for message in messages:
        bodies = [message.body, *(str(content) for content, _type in message.alternatives)]
        bodies += [str(value) for value in message.extra_headers.values()]
        for body in bodies:
            urls += [url.rstrip(".,;>") for url in ABSOLUTE.findall(unescape(body))]
    return urls


@pytest.mark.django_db
@override_settings(SITE_URL=SITE_URL, NEWSLETTERS_BASE_URL="")
def test_every_absolute_url__in_pages_feeds_calendars_and_emails__starts_with_site_url(
    client: Client, django_capture_on_commit_callbacks: object
) -> None:
    call_command("load_demo", verbosity=0)

    found = list(_crawl(client))
    emailed = _email_urls(client, django_capture_on_commit_callbacks)

    ours = [(kind, path, url) for kind, path, url in found if _is_ours(url)]
    ours += [("email", "outbox", url) for url in emailed if _is_ours(url)]
    wrong = sorted({(kind, url) for kind, _path, url in ours if not url.startswith(SITE_URL + "/")})
    assert wrong == []
    everything = [url for *_, url in found] + emailed
    assert not [url for url in everything if any(host in url for host in WRONG_HOSTS)]
    # Each kind of document was really read, and its links were there to check.
    kinds = {kind for kind, _path, _url in ours}
    assert {"text/html", "application/xml", "text/plain", "text/calendar", "email"} <= kinds
    assert any(kind == "application/rss+xml" for kind in kinds), kinds
    paths = {path for _kind, path, _url in ours}
    assert {"/", "/sitemap.xml", "/robots.txt"} <= paths


@pytest.mark.django_db
def test_sync_default_site__takes_host_and_port_from_site_url_and_is_idempotent(
    settings: object,
) -> None:
    settings.SITE_URL = "https://www.example.org"  # type: ignore[attr-defined]

    assert sync_default_site() is True
    assert sync_default_site() is False

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (
        "www.example.org",
        443,
        "https://www.example.org",
    )


@pytest.mark.django_db
def test_preflight__gives_the_site_record_the_address_of_site_url(settings: object) -> None:
    settings.SITE_URL = "http://127.0.0.1:8000"  # type: ignore[attr-defined]

    call_command("preflight", verbosity=0)

    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org", "https://example.org:8443", "http://example.org:443", "http://h/x/"],
)
def test_parse_site_url__refuses_what_a_wagtail_site_cannot_say(url: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_site_url(url)


@override_settings(SITE_URL="https://lecarburateur.fr/")
def test_absolute_url__puts_a_path_on_site_url_and_leaves_other_hosts_alone() -> None:
    assert absolute_url("/agenda/") == "https://lecarburateur.fr/agenda/"
    assert absolute_url("") == "https://lecarburateur.fr/"
    assert absolute_url("https://www.youtube.com/x") == "https://www.youtube.com/x"
