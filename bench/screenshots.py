"""`make screenshots`: every page type, full page, on a phone and a desktop screen.

The same stack and pages as `make lighthouse` (``bench.public_site``: production settings and
static files, the demo), seen by Debian's Chromium through Playwright (never a downloaded
browser). The pictures go to ``var/screenshots/pages/<page>-<screen>.png``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
OUTPUT_DIR = BASE_DIR / "var" / "screenshots" / "pages"
CHROMIUM = "/usr/bin/chromium"
SCREENS = {"telephone": (390, 844), "bureau": (1280, 800)}


#: A full-page picture is taken without scrolling, so images below the fold that wait for a
#: scroll (loading="lazy") would stay blank: load them all, then wait until each is decoded.
LOAD_LAZY_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach(image => { image.loading = 'eager'; });
  await Promise.all(images.map(image => image.decode().catch(() => null)));
}"""


def load_lazy_images(page: Any) -> None:
    page.evaluate(LOAD_LAZY_IMAGES)
    page.wait_for_load_state("networkidle")


def main() -> int:
    from playwright.sync_api import sync_playwright

    from bench.public_site import served

    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    taken = []
    with served() as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for screen, (width, height) in SCREENS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": height},
                    locale="fr-FR",
                    timezone_id="Europe/Paris",
                    is_mobile=screen == "telephone",
                    has_touch=screen == "telephone",
                    device_scale_factor=1,
                )
                page = context.new_page()
                for site_page in site.pages:
                    page.goto(site.url + site_page.path, wait_until="networkidle")
                    load_lazy_images(page)
                    path = OUTPUT_DIR / site_page.filename(f"-{screen}.png")
                    page.screenshot(path=str(path), full_page=True)
                    taken.append(path)
                context.close()
        finally:
            browser.close()
    for missing in site.missing:
        print(f"! Aucune page publiée, pas de capture : {missing}")
    print(f"{len(taken)} captures dans {OUTPUT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
