"""`make lighthouse`: Lighthouse 12 on every indexable page type, against the production stack.

Starts the stack of `make serve` with the demo (``bench.public_site``), runs Lighthouse (npm
``lighthouse``, pinned in package.json; Debian's Chromium, headless) once per page, keeps each
JSON report under ``var/lighthouse/<form factor>/`` and prints one row per page: performance,
accessibility, best practices and SEO, then the audits below 90 of every category under its goal.
The goals (issue 17): accessibility, best practices and SEO at 100 everywhere, performance ≥ 95
on desktop (on a phone, reported only); a page that asks not to be indexed (robots ``noindex``:
search results, forms) shows its SEO score without being held to it. Exit status 1 when a goal
is missed.

LIGHTHOUSE_FORM_FACTOR=mobile measures as a phone (Lighthouse's default throttling) instead of
``--preset=desktop``. The stack's variables: see ``bench.public_site``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
LIGHTHOUSE = BASE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
OUTPUT_DIR = BASE_DIR / "var" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
HEADINGS = {
    "performance": "perf.",
    "accessibility": "access.",
    "best-practices": "bonnes pr.",
    "seo": "SEO",
}
#: Lighthouse colours an audit green from 0.9: below, it is one to look at.
AUDIT_PASS = 0.9
#: Scores an audit has but that say nothing about passing.
UNSCORED_MODES = ("informative", "manual", "notApplicable", "error")


def goals(form_factor: str) -> dict[str, int]:
    """Each category's lowest acceptable score, out of 100; performance only on desktop."""
    wanted = {"accessibility": 100, "best-practices": 100, "seo": 100}
    if form_factor == "desktop":
        wanted["performance"] = 95
    return wanted


@dataclass
class PageScores:
    label: str
    path: str
    #: Out of 100; None when Lighthouse could not score the category.
    scores: dict[str, int | None]
    #: Per category, the ids of its audits scored below AUDIT_PASS.
    failing: dict[str, list[str]] = field(default_factory=dict)
    #: Lighthouse's own error (the page did not load, say).
    error: str = ""
    #: The page asks search engines not to index it (a form, search results): its SEO score
    #: is shown, not held to the goal, since ``is-crawlable`` fails there on purpose.
    noindex: bool = False

    def missed(self, wanted: Mapping[str, int]) -> list[str]:
        """The categories below their goal (a page Lighthouse could not load misses them all)."""
        return [
            category
            for category, goal in wanted.items()
            if not (category == "seo" and self.noindex)
            and (self.error or (self.scores.get(category) or 0) < goal)
        ]


def summarize(label: str, path: str, report: Mapping[str, Any]) -> PageScores:
    """A page's scores and failing audits, from Lighthouse's JSON report; a page is
    ``noindex`` when the report says a robots directive (meta or header) blocks indexing."""
    audits = report.get("audits", {})
    scores: dict[str, int | None] = {}
    failing: dict[str, list[str]] = {}
    for category in CATEGORIES:
        data = report.get("categories", {}).get(category, {})
        score = data.get("score")
        scores[category] = None if score is None else round(score * 100)
        failing[category] = [
            ref["id"] for ref in data.get("auditRefs", []) if _fails(audits.get(ref["id"], {}))
        ]
    error = (report.get("runtimeError") or {}).get("message", "")
    return PageScores(label, path, scores, failing, error, _asks_noindex(audits))


def _asks_noindex(audits: Mapping[str, Any]) -> bool:
    """``is-crawlable`` fails because of the page's own meta robots or X-Robots-Tag header, not
    because robots.txt blocks it (that would be a fault of the site, held to the goal)."""
    crawlable = audits.get("is-crawlable", {})
    if crawlable.get("score") != 0:
        return False
    for item in crawlable.get("details", {}).get("items", []):
        source = item.get("source")
        if isinstance(source, dict) and source.get("type") == "node":
            return True
        if isinstance(source, str) and source.lower().startswith("x-robots-tag"):
            return True
    return False


def _fails(audit: Mapping[str, Any]) -> bool:
    score = audit.get("score")
    return (
        score is not None
        and audit.get("scoreDisplayMode") not in UNSCORED_MODES
        and score < AUDIT_PASS
    )


def table(rows: list[PageScores], wanted: Mapping[str, int]) -> str:
    """The scores, one row a page, then what each missed goal comes from."""
    width = max([len(row.label) for row in rows] + [len("page")]) + 2
    lines = ["page".ljust(width) + "".join(f"{HEADINGS[c]:>12}" for c in CATEGORIES)]
    lines.append("-" * len(lines[0]))
    for row in rows:
        cells = "".join(
            f"{'—' if row.scores.get(c) is None else row.scores[c]:>12}" for c in CATEGORIES
        )
        missed = row.missed(wanted)
        notes = ("   MANQUÉ" if missed else "") + ("   (noindex)" if row.noindex else "")
        lines.append(f"{row.label:<{width}}{cells}{notes}")
    for row in rows:
        if row.error:
            lines.append(f"✗ {row.label} ({row.path}) : {row.error}")
        for category in row.missed(wanted):
            audits = ", ".join(row.failing.get(category, [])) or "—"
            lines.append(
                f"✗ {row.label} ({row.path}), {HEADINGS[category]} < {wanted[category]} : {audits}"
            )
    return "\n".join(lines)


def lighthouse(url: str, output: Path, form_factor: str) -> dict[str, Any]:
    """Run Lighthouse on ``url``; its JSON report, also written to ``output``."""
    output.parent.mkdir(parents=True, exist_ok=True)
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-dev-shm-usage",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    done = subprocess.run(  # noqa: S603 - the pinned lighthouse, our URL
        command,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        check=False,
    )
    if not output.exists():
        return {"runtimeError": {"message": f"lighthouse a échoué : {done.stderr[-1500:]}"}}
    report: dict[str, Any] = json.loads(output.read_text())
    return report


def main() -> int:
    from bench.public_site import served

    form_factor = os.environ.get("LIGHTHOUSE_FORM_FACTOR", "desktop")
    if form_factor not in ("desktop", "mobile"):
        print("LIGHTHOUSE_FORM_FACTOR : desktop ou mobile.", file=sys.stderr)
        return 2
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} est introuvable : `npm ci` l'installe.", file=sys.stderr)
        return 2
    wanted = goals(form_factor)
    rows = []
    with served() as site:
        for page in site.pages:
            if not page.indexable:
                continue
            print(f"Lighthouse ({form_factor}) : {page.path}", flush=True)
            output = OUTPUT_DIR / form_factor / page.filename(".json")
            report = lighthouse(site.url + page.path, output, form_factor)
            if report.get("runtimeError"):  # NO_NAVSTART and the like, on a busy machine
                print("  nouvel essai :", report["runtimeError"].get("message", ""), flush=True)
                report = lighthouse(site.url + page.path, output, form_factor)
            rows.append(summarize(page.label, page.path, report))
    print()
    print(table(rows, wanted))
    for missing in site.missing:
        print(f"! Non mesuré, aucune page publiée : {missing}")
    print(f"Rapports JSON : {OUTPUT_DIR / form_factor}")
    failed = any(row.missed(wanted) for row in rows)
    print("Des objectifs manqués." if failed else "Tous les objectifs atteints.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
