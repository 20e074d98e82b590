"""The first visit of each page against its warm rendered time (issue 16, "no cold first visit").

``make bench-pages`` calls ``measure`` right after it built its database (``load_demo`` and the
bulk content), before anything asked for a page: the first anonymous request of each page type
is timed against the median of the requests that follow, with the page cache off. Then a
resident is published with a new image (as an editor would, here in a subprocess that runs the
site's tasks eagerly, as a worker would have by the time a visitor comes) and the pages are timed
again: the pages showing that image are the ones a cold rendition would slow down.

``python -m bench.first_visit --publish`` (in the site's settings) does that publication and
prints the resident's URL.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

#: The issue's goal: a first visit within twice the page's warm rendered time.
GOAL_RATIO = 2.0
WARM_REQUESTS = 10


@dataclass(frozen=True)
class Visit:
    first_ms: float
    warm_ms: float

    @property
    def ratio(self) -> float:
        return self.first_ms / self.warm_ms


def timed_get(url: str) -> float:
    """Milliseconds to fetch ``url`` whole (an error status is a page too: the 404 counts)."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - loopback
            response.read()
    except urllib.error.HTTPError as error:
        error.read()
    return (time.perf_counter() - started) * 1000


def first_visits(
    base_url: str, targets: Iterable[tuple[str, str]], warm_requests: int = WARM_REQUESTS
) -> dict[str, Visit]:
    """For each ``(name, path)``: its first request, then the median of the next ones.

    Every page gets its first request before any page is warmed, so that no page's warm-up
    (a rendition made, a template compiled) is counted as another page's warm time.
    """
    targets = list(targets)
    first = {name: timed_get(base_url + path) for name, path in targets}
    return {
        name: Visit(
            first[name],
            statistics.median(timed_get(base_url + path) for _ in range(warm_requests)),
        )
        for name, path in targets
    }


def measure(
    base_url: str,
    targets: Iterable[tuple[str, str]],
    start_server: Callable[[], Any],
    publish: Callable[[], str],
) -> dict[str, dict[str, Visit]]:
    """First visits on a fresh database, then after ``publish`` (which returns the published
    page's path, measured too if no target is that page):
    ``{"après load_demo": ..., "après publication": ...}``."""
    targets = list(targets)
    server = start_server()
    try:
        fresh = first_visits(base_url, targets)
        published = publish()
        if all(path != published for _name, path in targets):
            targets.append(("page publiée", published))
        after = first_visits(base_url, targets)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"après load_demo": fresh, "après publication": after}


def print_table(results: dict[str, dict[str, Visit]]) -> list[str]:
    """The "première visite" section of the report; returns the goals missed."""
    failures = []
    print()
    header = (
        f"{'première visite':<26}{'quand':<20}{'1re ms':>9}{'tiède ms':>10}{'ratio':>8}  objectif"
    )
    print(header)
    print("-" * len(header))
    for when, visits in results.items():
        for name, visit in visits.items():
            met = visit.ratio <= GOAL_RATIO
            print(
                f"{name:<26}{when:<20}{visit.first_ms:>9.0f}{visit.warm_ms:>10.0f}"
                f"{visit.ratio:>8.1f}  ≤ {GOAL_RATIO:.0f} x tiède {'✓' if met else '✗'}"
            )
            if not met:
                failures.append(f"{name} ({when}) : première visite {visit.ratio:.1f} x tiède")
    return failures


def publish_resident_with_new_image() -> str:
    """Give the newest resident a new logo and a new image in its story, publish it as an
    editor would, and return its URL. Runs in the site's settings (``django.setup()`` done)."""
    from PIL import Image as PillowImage
    from PIL import ImageDraw

    from django.core.files.images import ImageFile

    from wagtail.images import get_image_model

    from members.models import MemberPage

    def new_image(title: str, colour: tuple[int, int, int]) -> Any:
        # A photograph-sized JPEG with gradients and shapes: encoders work as on a real upload.
        picture = PillowImage.linear_gradient("L").resize((1600, 1000)).convert("RGB")
        picture = PillowImage.blend(picture, PillowImage.new("RGB", picture.size, colour), 0.5)
        draw = ImageDraw.Draw(picture)
        for n in range(12):
            draw.ellipse((100 * n, 60 * n, 100 * n + 300, 60 * n + 200), outline=colour, width=9)
        draw.text((120, 420), title, fill=(255, 255, 255), font_size=96)
        buffer = io.BytesIO()
        picture.save(buffer, format="JPEG", quality=90)
        image = get_image_model()(title=title, file=ImageFile(buffer, name="bench-nouvelle.jpg"))
        image.save()
        return image

    stamp = time.strftime("%H%M%S")
    resident = MemberPage.objects.live().order_by("-pk").first()
    resident.logo = new_image(f"Nouveau logo {stamp}", (200, 60, 40))
    story_image = new_image(f"Atelier {stamp}", (40, 90, 160))
    resident.story = [
        {"type": "image", "value": {"image": story_image.pk, "alt_text": "", "decorative": True}}
    ]
    resident.save_revision().publish()
    return resident.url


def publisher(python: str, environ: dict[str, str], cwd: str) -> Callable[[], str]:
    """A ``publish`` callable for ``measure`` that runs the publication in a subprocess."""

    def publish() -> str:
        done = subprocess.run(  # noqa: S603 - fixed command
            [python, "-m", "bench.first_visit", "--publish"],
            env=environ,
            cwd=cwd,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip().splitlines()[-1]

    return publish


def main(argv: list[str]) -> None:
    import django

    django.setup()
    if "--publish" in argv:
        print(publish_resident_with_new_image())


if __name__ == "__main__":
    main(sys.argv[1:])
