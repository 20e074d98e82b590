"""The first visit of each page against its warm rendered time (issue 16, "no cold first visit").

``make bench-pages`` calls ``measure`` right after it built its database (``load_demo`` and the
bulk content), before anything asked for a page: the first anonymous request of each page type
is timed against the median of the requests that follow, with the page cache off, once every
worker of the server has booted (each warms up first: ``ops.warmup``). Then a
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
from pathlib import Path
from typing import Any

#: The issue's goal: a first visit within twice the page's warm rendered time.
GOAL_RATIO = 2.0
WARM_REQUESTS = 10


@dataclass(frozen=True)
class Visit:
    first_ms: float
    warm_ms: float
    #: CPU time the server's workers spent on the request (Linux; 0 elsewhere): unlike the
    #: wall time, it does not grow with the other processes of a shared machine.
    first_cpu_ms: float = 0.0
    warm_cpu_ms: float = 0.0

    @property
    def ratio(self) -> float:
        return self.first_ms / self.warm_ms

    @property
    def cpu_ratio(self) -> float:
        return self.first_cpu_ms / self.warm_cpu_ms if self.warm_cpu_ms else 0.0


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
    base_url: str,
    targets: Iterable[tuple[str, str]],
    warm_requests: int = WARM_REQUESTS,
    cpu: Callable[[], float] = lambda: 0.0,
) -> dict[str, Visit]:
    """For each ``(name, path)``: its first request, then the median of the next ones, in wall
    time and in the server's CPU time (``cpu()``, in seconds so far).

    Every page gets its first request before any page is warmed, so that no page's warm-up
    (a rendition made, a template compiled) is counted as another page's warm time.
    """

    def timed(path: str) -> tuple[float, float]:
        spent = cpu()
        wall = timed_get(base_url + path)
        return wall, (cpu() - spent) * 1000

    targets = list(targets)
    first = {name: timed(path) for name, path in targets}
    visits = {}
    for name, path in targets:
        warm = [timed(path) for _ in range(warm_requests)]
        visits[name] = Visit(
            first[name][0],
            statistics.median(wall for wall, _cpu in warm),
            first[name][1],
            statistics.median(cpu_ms for _wall, cpu_ms in warm),
        )
    return visits


def cpu_seconds(pid: int) -> float:
    """CPU time the threads of ``pid`` have run so far (Linux scheduler statistics, in
    nanoseconds: finer than the clock ticks of ``/proc/PID/stat``)."""
    return (
        sum(
            int((task / "schedstat").read_text().split()[0])
            for task in Path(f"/proc/{pid}/task").iterdir()
        )
        / 1e9
    )


def workers(server_pid: int) -> list[int]:
    return [
        int(pid)
        for pid in Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    ]


def server_cpu(server_pid: int) -> Callable[[], float]:
    """``cpu`` for ``first_visits``: the CPU seconds of the server's workers so far."""

    def cpu() -> float:
        try:
            return sum(cpu_seconds(pid) for pid in workers(server_pid))
        except OSError:  # not Linux, or a worker replaced meanwhile
            return 0.0

    return cpu


def settle(server_pid: int, quiet: float = 1.0, deadline: float = 60.0) -> None:
    """Wait until every worker of the server has booted: none spent CPU for ``quiet`` seconds.

    A worker warms up before it accepts a connection (``ops.warmup``); the server answers as
    soon as one has. A visitor behind a load balancer comes once the server is ready, not while
    its other workers still take the CPU: the first visit is timed from there.
    """
    ends = time.monotonic() + deadline
    before = None
    while time.monotonic() < ends:
        try:
            now = [round(cpu_seconds(pid), 2) for pid in workers(server_pid)]
        except OSError:  # not Linux, or a worker replaced meanwhile
            return
        if now == before:
            return
        before = now
        time.sleep(quiet)


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
        settle(server.pid)
        cpu = server_cpu(server.pid)
        fresh = first_visits(base_url, targets, cpu=cpu)
        published = publish()
        if all(path != published for _name, path in targets):
            targets.append(("page publiée", published))
        after = first_visits(base_url, targets, cpu=cpu)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:  # a busy machine: the figures are kept all the same
            server.kill()
            server.wait()
    return {"après load_demo": fresh, "après publication": after}


def print_table(results: dict[str, dict[str, Visit]]) -> list[str]:
    """The "première visite" section of the report; returns the goals missed."""
    failures = []
    print()
    header = (
        f"{'première visite':<26}{'quand':<20}{'1re ms':>9}{'tiède ms':>10}{'ratio':>8}"
        f"{'1re CPU':>9}{'tiède CPU':>11}{'ratio CPU':>11}  objectif"
    )
    print(header)
    print("-" * len(header))
    for when, visits in results.items():
        for name, visit in visits.items():
            met = visit.ratio <= GOAL_RATIO
            print(
                f"{name:<26}{when:<20}{visit.first_ms:>9.0f}{visit.warm_ms:>10.0f}"
                f"{visit.ratio:>8.1f}{visit.first_cpu_ms:>9.0f}{visit.warm_cpu_ms:>11.0f}"
                f"{visit.cpu_ratio:>11.1f}  ≤ {GOAL_RATIO:.0f} x tiède {'✓' if met else '✗'}"
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
