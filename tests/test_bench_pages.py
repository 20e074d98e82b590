"""``make bench-pages``: BENCH_PAGES picks the pages measured, the ceiling always with them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.pages import Target, chosen, server_cpu_seconds

PAGES = [
    Target("plafond (vue Django nue)", "/__bench__/plafond/", "ceiling"),
    Target("annuaire", "/residents/", "index"),
    Target("agenda", "/agenda/", "index"),
    Target("404", "/nulle-part/", "404", status=404),
]


def test_bench_pages__measures_every_page_unless_told() -> None:
    assert chosen(PAGES, "") == PAGES


def test_bench_pages__measures_the_ceiling_and_the_pages_named() -> None:
    assert [t.name for t in chosen(PAGES, "agenda, annuaire")] == [
        "plafond (vue Django nue)",
        "annuaire",
        "agenda",
    ]


def test_bench_pages__refuses_an_unknown_page_name() -> None:
    with pytest.raises(SystemExit, match="pages inconnues : agendas"):
        chosen(PAGES, "annuaire,agendas")


def test_bench_pages__reads_a_servers_cpu_time_from_proc() -> None:
    # A stand-in for gunicorn: a master whose one child spins for a moment, then waits.
    spin = (
        "import time\nend = time.process_time() + 0.3\n"
        "while time.process_time() < end: pass\ntime.sleep(30)"
    )
    master = subprocess.Popen(  # noqa: S603 - fixed command
        [
            sys.executable,
            "-c",
            f"import subprocess, sys; subprocess.run([sys.executable, '-c', {spin!r}])",
        ]
    )
    try:
        deadline = time.monotonic() + 20
        used = server_cpu_seconds(master)
        while (used is None or used < 0.25) and time.monotonic() < deadline:
            time.sleep(0.1)
            used = server_cpu_seconds(master)
        assert used is not None
        assert used >= 0.25  # the child's spin is counted, not only the idle master's time
    finally:
        for child in Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split():
            os.kill(int(child), signal.SIGTERM)
        master.wait(timeout=10)
