"""Fixtures for the browser tests: the served site, its mail, Chromium pages, axe, screenshots.

Every test here carries the ``browser`` marker. Nothing is skipped: without Chromium or npm,
the tests fail and say what to install. Screenshots and the accessibility report go to
``var/screenshots/<run>/``, which the end of the test run prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest

from .harness import (
    REPO_ROOT,
    Accessibility,
    BrowserRun,
    LiveSite,
    MailCatcher,
    Screenshots,
    axe_source,
    launch_chromium,
)

RUN_KEY = pytest.StashKey[BrowserRun]()
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_run(request: pytest.FixtureRequest) -> BrowserRun:
    """This test session's output folder, remembered for the terminal summary."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    directory = REPO_ROOT / "var" / "screenshots" / stamp
    directory.mkdir(parents=True, exist_ok=True)
    run = BrowserRun(directory)
    request.config.stash[RUN_KEY] = run
    return run


@pytest.fixture(scope="session")
def mail() -> Iterator[MailCatcher]:
    catcher = MailCatcher()
    catcher.start()
    try:
        yield catcher
    finally:
        catcher.stop()


@pytest.fixture(scope="session")
def live_site(browser_run: BrowserRun, mail: MailCatcher) -> Iterator[LiveSite]:
    """The site with the demo content, served on loopback for the whole session."""
    site = LiveSite(browser_run.directory, mail)
    try:
        site.start()
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    yield from launch_chromium()


@pytest.fixture
def open_page(chromium: Any, live_site: LiveSite) -> Iterator[Callable[..., Any]]:
    """Open a page in a new browser context (no cookies shared between tests or pages).

    The test fails if a page it opened raised a JavaScript error, failed to load a resource
    from the site, or asked another host for anything.
    """
    contexts: list[Any] = []
    problems: list[str] = []

    def _open(viewport: dict[str, int] = DESKTOP) -> Any:
        context = chromium.new_context(
            base_url=live_site.url, viewport=viewport, locale="fr-FR", timezone_id="Europe/Paris"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"Erreur JavaScript : {error}"))
        page.on("response", _check_resource)
        page.on("request", lambda request: _check_host(page, request))
        return page

    def _check_host(page: Any, request: Any) -> None:
        # The public site loads nothing from another host (the admin is Wagtail's own).
        target = urlsplit(request.url)
        elsewhere = target.scheme in ("http", "https") and target.netloc != live_site.netloc
        if elsewhere and not urlsplit(page.url).path.startswith("/admin/"):
            problems.append(f"Requête vers un autre hôte : {request.url}")

    def _check_resource(response: Any) -> None:
        # Documents may answer 4xx on purpose (a form error is a 400); resources may not.
        failed = response.status >= 400 and response.request.resource_type != "document"
        if failed and not _admin_autosave_refused(response):
            problems.append(f"{response.status} sur {response.url}")

    yield _open
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


def _admin_autosave_refused(response: Any) -> bool:
    """Wagtail's autosave posts the edit form in the background while the editor types; it is
    answered 400 while the form is not valid yet (the slug not filled in, say), and the editor
    sees "autosave paused". That is the admin working, not a resource failing to load."""
    request = response.request
    return (
        response.status == 400
        and request.method == "POST"
        and request.resource_type in ("fetch", "xhr")
        and urlsplit(response.url).path.startswith("/admin/pages/")
    )


@pytest.fixture
def page(open_page: Callable[..., Any]) -> Any:
    """A desktop-sized page on the served site."""
    return open_page()


@pytest.fixture
def shots(browser_run: BrowserRun, request: pytest.FixtureRequest) -> Screenshots:
    """Screenshots of this test's key steps, in a folder named after the test."""
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    directory = browser_run.directory / name
    directory.mkdir(parents=True, exist_ok=True)
    return Screenshots(directory, browser_run)


@pytest.fixture(scope="session")
def accessibility(browser_run: BrowserRun) -> Accessibility:
    return Accessibility(axe_source(REPO_ROOT / "var" / "npm"), browser_run)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return
    write = terminalreporter.write_line
    terminalreporter.section("navigateur : captures d'écran et accessibilité")
    write(f"Dossier : {run.directory}")
    for path in run.screenshots:
        write(f"  {path.relative_to(run.directory)}")
    if run.pages_checked:
        run.write_report()
        counts: dict[str, int] = {}
        for finding in run.findings:
            counts[finding.impact] = counts.get(finding.impact, 0) + 1
        summary = ", ".join(f"{impact} {count}" for impact, count in sorted(counts.items()))
        write(
            f"axe-core : {len(run.pages_checked)} page(s) vérifiée(s) ; "
            f"règles en échec par impact : {summary or 'aucune'}"
        )
        for finding in run.findings:
            write(f"  {finding.describe()}")
        write(f"Rapport : {run.report_path}")
