"""The Nu Html Checker on one page of every public page type: 0 errors (`make check-html`).

The pages come from the served demo (``bench.site_pages``: one live page per Wagtail page type,
then the view pages and a 404), their HTML is saved under the run's folder
(``var/screenshots/<run>/html/``) and checked in one run of vnu. A page type without a live page
is named in a warning: nothing checks it.
"""

from __future__ import annotations

import warnings

import pytest

from bench.html_check import run_vnu, save_pages
from bench.site_pages import load

from .harness import BrowserRun, LiveSite

pytestmark = pytest.mark.browser


def test_every_page_type__has_no_html_error(live_site: LiveSite, browser_run: BrowserRun) -> None:
    pages, missing = load(live_site.env)
    if missing:
        warnings.warn(
            "Types de page sans page publiée, non vérifiés : " + ", ".join(missing),
            stacklevel=1,
        )
    files = save_pages(live_site.url, pages, browser_run.directory / "html")

    errors = run_vnu(files)

    paths = {page.filename(".html"): page.path for page in pages}
    assert not errors, f"{len(errors)} erreur(s) HTML (Nu Html Checker) :\n" + "\n".join(
        f"{paths.get(error.file, '?')} — {error.describe()}" for error in errors
    )
