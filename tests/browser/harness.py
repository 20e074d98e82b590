"""Browser test machinery: the served site, the mail it sends, Chromium, axe-core, screenshots.

The site runs as ``manage.py runserver`` in a subprocess on loopback, against a database of its
own (a SQLite file, or ``<name>_browser`` when the suite runs on PostgreSQL) that is migrated
and filled with the demo content once per test session. It sends its mail over SMTP to an
aiosmtpd server in this process and runs Celery tasks eagerly. Tests see the site only from
outside, as a person would; to prepare data (an editor account, say) use ``LiveSite.manage``.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tarfile
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from django.conf import settings

from tests.services import SmtpInbox, free_port, text_body, wait_for

REPO_ROOT = Path(settings.BASE_DIR)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe-core comes from the npm registry, pinned and checked against the registry's integrity.
AXE_VERSION = "4.14.1"
AXE_INTEGRITY = (
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCK"
    "g2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)
BLOCKING_IMPACTS = ("serious", "critical")
SERVER_START_TIMEOUT = 60.0


# --- Mail ---------------------------------------------------------------------------------


class MailCatcher:
    """An SMTP server on loopback that keeps what the site sends."""

    def __init__(self) -> None:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
        self.inbox = SmtpInbox()
        self.port = free_port()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def messages_to(self, to: str, subject_contains: str = "") -> list[Message]:
        """The messages to ``to`` whose subject contains the text, oldest first."""
        return [
            message
            for message in list(self.inbox.messages)
            if message["To"] == to and subject_contains in subject(message)
        ]

    def wait_for_message(self, to: str, subject_contains: str = "", count: int = 1) -> Message:
        """The newest message to ``to`` (whose subject contains the text), once ``count`` of
        them have arrived."""

        def find() -> Message | None:
            found = self.messages_to(to, subject_contains)
            return found[-1] if len(found) >= count else None

        what = f"{count} courriel(s) à {to} ({subject_contains or 'tout sujet'})"
        return wait_for(find, what, 30)


def subject(message: Message) -> str:
    """The message's subject, its RFC 2047 encoded words (accents) decoded."""
    return str(make_header(decode_header(message["Subject"] or "")))


def link_in(message: Message, path_prefix: str) -> str:
    """The first link in ``message``'s text whose path starts with ``path_prefix``."""
    for link in re.findall(r"https?://\S+", text_body(message)):
        if urlsplit(link).path.startswith(path_prefix):
            return link
    raise AssertionError(f"Aucun lien vers {path_prefix} dans :\n{text_body(message)}")


# --- The served site ----------------------------------------------------------------------


def _postgres_database(run_dir: Path) -> tuple[str, Callable[[], None]]:
    """Create ``<test database>_browser`` afresh; return its URL and a function that drops it."""
    import psycopg
    from psycopg import sql

    config = settings.DATABASES["default"]
    name = f"{config['NAME']}_browser"
    user = config["USER"] or "postgres"
    password = config["PASSWORD"] or ""
    host, port = config["HOST"] or "127.0.0.1", config["PORT"] or 5432
    conninfo = psycopg.conninfo.make_conninfo(
        host=host, port=port, user=user, password=password, dbname="postgres"
    )

    def run(statement: str) -> None:
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute(sql.SQL(statement).format(sql.Identifier(name)))

    run("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    run("CREATE DATABASE {}")
    secret = f":{password}" if password else ""
    return f"postgres://{user}{secret}@{host}:{port}/{name}", lambda: run(
        "DROP DATABASE IF EXISTS {} WITH (FORCE)"
    )


class LiveSite:
    """The site, served on loopback by a subprocess, with its own database and the demo."""

    def __init__(self, run_dir: Path, mail: MailCatcher) -> None:
        self.run_dir = run_dir
        self.port = free_port()
        self.netloc = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.netloc}"
        self.log_path = run_dir / "server.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._drop_database: Callable[[], None] = lambda: None
        if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
            database_url, self._drop_database = _postgres_database(run_dir)
        else:
            database_url = f"sqlite:///{run_dir / 'site.sqlite3'}"
        # Set every variable the settings read, so that nothing leaks in from the caller's
        # environment or a local .env file.
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.browser.site_settings",
            "SECRET_KEY": "browser-tests-only-not-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": database_url,
            "CACHE_URL": "",
            "MEDIA_ROOT": str(run_dir / "media"),
            "STATIC_ROOT": str(run_dir / "static"),
            "EMAIL_URL": mail.url,
            "CELERY_BROKER_URL": "memory://",
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "WAGTAILADMIN_BASE_URL": self.url,
            "NEWSLETTERS_BASE_URL": self.url,
            # Every sign-up in the run comes from 127.0.0.1.
            "NEWSLETTERS_RATE_LIMIT_IP": "1000",
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args: str, extra_env: dict[str, str] | None = None) -> str:
        """Run a management command against the served site's database; return its output."""
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env={**self.env, **(extra_env or {})},
            capture_output=True,
            text=True,
            check=False,
        )
        command = f"manage.py {args[0]}" if args else "manage.py"
        with self.log_path.open("a") as log:
            log.write(f"$ {command}\n{result.stdout}{result.stderr}\n")
        if result.returncode != 0:
            pytest.fail(f"{command} a échoué :\n{result.stderr[-3000:]}")
        return result.stdout

    def create_user(
        self, username: str, password: str, groups: tuple[str, ...] = (), superuser: bool = False
    ) -> None:
        """Create (or reset) a user of the served site, member of the named existing groups."""
        script = (
            "import os\n"
            "from django.contrib.auth import get_user_model\n"
            "from django.contrib.auth.models import Group\n"
            "user, _ = get_user_model().objects.get_or_create(username=os.environ['B_USER'])\n"
            "user.email = os.environ['B_USER'] + '@example.fr'\n"
            "user.is_staff = user.is_superuser = os.environ['B_SUPER'] == '1'\n"
            "user.set_password(os.environ['B_PASSWORD'])\n"
            "user.save()\n"
            "names = [name for name in os.environ['B_GROUPS'].split('|') if name]\n"
            "user.groups.set([Group.objects.get(name=name) for name in names])\n"
        )
        self.manage(
            "shell",
            "-c",
            script,
            extra_env={
                "B_USER": username,
                "B_PASSWORD": password,
                "B_SUPER": "1" if superuser else "0",
                "B_GROUPS": "|".join(groups),
            },
        )

    def start(self) -> None:
        self.manage("migrate", "--noinput", "--verbosity=0")
        self.manage("load_demo")
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    f"127.0.0.1:{self.port}",
                    "--noreload",
                    "--nostatic",
                ],
                cwd=REPO_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self._answers, "le démarrage du site", SERVER_START_TIMEOUT)

    def _answers(self) -> bool:
        if self._process is not None and self._process.poll() is not None:
            pytest.fail(f"Le serveur du site s'est arrêté :\n{self.log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{self.url}/robots.txt", timeout=2) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        self._drop_database()


# --- axe-core -----------------------------------------------------------------------------


def axe_source(cache_dir: Path) -> str:
    """axe.min.js from the pinned npm tarball, fetched once into ``cache_dir`` and verified."""
    tarball = cache_dir / f"axe-core-{AXE_VERSION}.tgz"
    if not tarball.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm est introuvable : il télécharge axe-core (apt-get install npm).")
        cache_dir.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(  # noqa: S603
            [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", str(cache_dir)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not tarball.exists():
            pytest.fail(f"npm pack axe-core@{AXE_VERSION} a échoué :\n{result.stderr[-2000:]}")
    data = tarball.read_bytes()
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if integrity != AXE_INTEGRITY:
        tarball.unlink()
        pytest.fail(f"axe-core {AXE_VERSION} : empreinte inattendue {integrity}, fichier supprimé.")
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        return member.read().decode()


@dataclass
class AxeFinding:
    """One axe rule that failed on one page, with the elements it names."""

    page: str
    url: str
    rule: str
    impact: str
    help: str
    help_url: str
    targets: list[str]

    def describe(self) -> str:
        where = ", ".join(self.targets[:5]) + (" …" if len(self.targets) > 5 else "")
        return f"[{self.impact}] {self.page} — {self.rule} : {self.help} ({where})"


@dataclass
class BrowserRun:
    """What one test session produced: screenshots and axe findings, for the final summary."""

    directory: Path
    screenshots: list[Path] = field(default_factory=list)
    findings: list[AxeFinding] = field(default_factory=list)
    pages_checked: list[str] = field(default_factory=list)

    @property
    def report_path(self) -> Path:
        return self.directory / "axe-report.md"

    def write_report(self) -> None:
        lines = [
            f"# Accessibilité (axe-core {AXE_VERSION})",
            "",
            f"Pages vérifiées : {len(self.pages_checked)}",
            "",
        ]
        lines += [f"- {page}" for page in self.pages_checked]
        for impact in ("critical", "serious", "moderate", "minor"):
            found = [finding for finding in self.findings if finding.impact == impact]
            lines += ["", f"## {impact} ({len(found)})", ""]
            lines += [f"- {finding.describe()} — {finding.help_url}" for finding in found]
        self.report_path.write_text("\n".join(lines) + "\n")
        (self.directory / "axe-report.json").write_text(
            json.dumps([vars(finding) for finding in self.findings], indent=2, ensure_ascii=False)
        )


class Accessibility:
    """Runs axe-core in a page and records what it finds."""

    def __init__(self, source: str, run: BrowserRun) -> None:
        self.source = source
        self.run = run

    def check(self, page: Any, label: str) -> list[AxeFinding]:
        """Run every axe rule on ``page``; record all findings, return the serious/critical."""
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through DevTools, not as an inline <script> that the site's
            # Content-Security-Policy (script-src 'self') rightly blocks.
            page.evaluate(self.source)
        results = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        findings = [
            AxeFinding(
                page=label,
                url=page.url,
                rule=violation["id"],
                impact=violation["impact"] or "minor",
                help=violation["help"],
                help_url=violation["helpUrl"],
                targets=[" ".join(map(str, node["target"])) for node in violation["nodes"]],
            )
            for violation in results["violations"]
        ]
        self.run.pages_checked.append(f"{label} — {urlsplit(page.url).path}")
        self.run.findings.extend(findings)
        return [finding for finding in findings if finding.impact in BLOCKING_IMPACTS]


# --- Screenshots --------------------------------------------------------------------------


class Screenshots:
    """Numbered full-page screenshots of one test's key steps, in its own folder."""

    def __init__(self, directory: Path, run: BrowserRun) -> None:
        self.directory = directory
        self.run = run
        self.count = 0

    def take(self, page: Any, step: str, full_page: bool = True) -> Path:
        """Save ``page`` as ``NN-step.png``, the step's name reduced to ASCII and dashes.

        ``full_page=False`` keeps only what the screen shows (an open menu on a phone).
        """
        self.count += 1
        ascii_step = unicodedata.normalize("NFKD", step).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_step.lower()).strip("-")
        path = self.directory / f"{self.count:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=full_page)
        self.run.screenshots.append(path)
        return path


# --- Chromium -----------------------------------------------------------------------------


def launch_chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright; never a downloaded browser.

    Playwright's ``launch`` gives the browser a fresh temporary profile (user-data dir) and
    deletes it on close.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium est introuvable ({CHROMIUM}) : installez-le avec "
            "`apt-get install chromium` (make browser-deps le fait)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


FOCUS_STYLE_SCRIPT = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) { return null; }
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    text: (element.innerText || element.value || '').trim().slice(0, 60),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth) || 0,
    outlineColor: style.outlineColor,
    inMain: !!element.closest('main'),
    inFooter: !!element.closest('footer'),
    top: element.getBoundingClientRect().top,
  };
}"""


def focused(page: Any) -> dict[str, Any]:
    """The focused element and its computed outline; fails if nothing has the focus."""
    info = page.evaluate(FOCUS_STYLE_SCRIPT)
    assert info is not None, "Aucun élément n'a le focus."
    return info


def assert_focus_visible(page: Any) -> dict[str, Any]:
    """The focused element draws a solid outline at least 2 px wide."""
    info = focused(page)
    assert info["outlineStyle"] not in ("none", "hidden") and info["outlineWidth"] >= 2, (
        f"Focus invisible sur <{info['tag']} id={info['id']!r}> « {info['text']} » : {info}"
    )
    return info


def tab_to(page: Any, target: Any, limit: int = 80) -> dict[str, Any]:
    """Press Tab until ``target`` (a Playwright locator) has the focus.

    Every element the focus passes through on the way must show it.
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = assert_focus_visible(page)
        if target.evaluate("element => element === document.activeElement"):
            return info
    pytest.fail(f"{target} n'est pas atteint après {limit} appuis sur Tab.")


def log_in(page: Any, username: str, password: str) -> None:
    """Log in through the Wagtail admin's login form, as a person would."""
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
