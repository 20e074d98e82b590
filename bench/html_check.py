"""The Nu Html Checker (npm ``vnu-jar``, pinned in package.json) on the site's pages.

``save_pages`` writes each page's HTML as served to a folder; ``run_vnu`` checks them all in one
``java -jar vnu.jar`` (the JVM takes seconds to start, the checking itself a fraction of that)
and ``parse_vnu`` turns its JSON into ``HtmlError``s that say file, line and message. The
browser test ``tests/browser/test_html_validity.py`` (``make check-html``) puts them together.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bench.site_pages import SitePage

BASE_DIR = Path(__file__).resolve().parent.parent
VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: vnu's message types that make a page fail: markup errors, and a file it could not read.
FAILING_TYPES = ("error", "non-document-error")


@dataclass(frozen=True)
class HtmlError:
    """One error the checker found, where a developer looks for it."""

    file: str
    line: int | None
    column: int | None
    message: str
    extract: str = ""

    def describe(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}:{self.column or 0}"
        extract = " ".join(self.extract.split())
        return f"{where} : {self.message}" + (f"\n    … {extract} …" if extract else "")


def parse_vnu(output: str) -> list[HtmlError]:
    """The errors in vnu's ``--format json`` output, file names without their folder."""
    if not output.strip():
        return []
    errors = []
    for message in json.loads(output).get("messages", []):
        if message.get("type") not in FAILING_TYPES:
            continue
        url = message.get("url", "")
        errors.append(
            HtmlError(
                file=Path(unquote(urlsplit(url).path)).name or url,
                line=message.get("lastLine"),
                column=message.get("firstColumn", message.get("lastColumn")),
                message=message.get("message", ""),
                extract=message.get("extract", ""),
            )
        )
    return errors


def run_vnu(files: Iterable[Path], jar: Path = VNU_JAR) -> list[HtmlError]:
    """Check every file in one JVM; vnu writes its report on stderr, exits 1 on errors."""
    paths = [str(path) for path in files]
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("java est introuvable : apt-get install openjdk-17-jre-headless.")
    if not jar.exists():
        raise RuntimeError(f"{jar} est introuvable : `npm ci` à la racine du dépôt l'installe.")
    done = subprocess.run(  # noqa: S603 - java, the pinned jar, our files
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"vnu a échoué ({done.returncode}) :\n{done.stderr[-3000:]}")
    return parse_vnu(done.stderr)


def fetch(url: str) -> tuple[int, bytes]:
    """The status and body of ``url``, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - our site
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def save_pages(base_url: str, pages: Iterable[SitePage], directory: Path) -> list[Path]:
    """Each page's HTML as ``directory/<key>.html``; a page that answers another status than
    its own fails, since its HTML would not be the page's."""
    directory.mkdir(parents=True, exist_ok=True)
    saved = []
    for page in pages:
        status, body = fetch(base_url + page.path)
        if status != page.status:
            raise AssertionError(f"{page.path} : statut {status}, {page.status} attendu")
        path = directory / page.filename(".html")
        path.write_bytes(body)
        saved.append(path)
    return saved
