"""Run the test suite lane by lane, as ``make pytest`` does, and print each lane's time.

The unit lane (no marker) runs in parallel with pytest-xdist; the ``slow``, ``services`` and
``browser`` lanes run one test at a time: they start servers and databases of their own, or
are one long test. Every lane runs even when an earlier one fails, so that one run of CI shows
every failure; the exit status is the first failing lane's. A lane that selects no test
(pytest's exit status 5, e.g. ``-k`` that matches none there) is not a failure.

Usage: ``python tests/lanes.py [pytest arguments added to every lane]``; ``TEST_LANES`` names
the lanes to run (``TEST_LANES=unit``, ``TEST_LANES="slow services"``), all by default, and
``PYTEST_WORKERS`` the unit lane's processes (``auto``: one a CPU).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NO_TESTS_COLLECTED = 5

# Each lane's selection; together they cover every test once.
LANES: list[tuple[str, list[str]]] = [
    (
        "unit",
        [
            "-n",
            os.environ.get("PYTEST_WORKERS", "auto"),
            "-m",
            "not services and not browser and not slow",
        ],
    ),
    ("slow", ["-m", "slow and not services and not browser"]),
    ("services", ["-m", "services and not browser"]),
    ("browser", ["-m", "browser"]),
]


def run_lane(name: str, selection: list[str], extra: list[str]) -> tuple[int, float]:
    """Run one lane's pytest; return its exit status and how long it took, in seconds."""
    print(f"\n== lane {name}: pytest {' '.join(selection + extra)} ==", flush=True)
    started = time.monotonic()
    command = [sys.executable, "-m", "pytest", *selection, *extra]
    status = subprocess.run(command, cwd=REPO_ROOT, check=False).returncode  # noqa: S603
    return status, time.monotonic() - started


def main(extra: list[str]) -> int:
    wanted = os.environ.get("TEST_LANES", "").split() or [name for name, _selection in LANES]
    unknown = set(wanted) - {name for name, _selection in LANES}
    if unknown:
        print(f"Voies inconnues : {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    results: list[tuple[str, int, float]] = []
    for name, selection in LANES:
        if name not in wanted:
            continue
        status, seconds = run_lane(name, selection, extra)
        results.append((name, status, seconds))

    print("\n== test lanes ==")
    failed = 0
    for name, status, seconds in results:
        if status == 0:
            outcome = "ok"
        elif status == NO_TESTS_COLLECTED:
            outcome = "no test selected"
        else:
            outcome = f"FAILED (exit {status})"
            failed = failed or status
        minutes, rest = divmod(round(seconds), 60)
        print(f"  {name:<9} {minutes:3d} min {rest:02d} s   {outcome}")
    total = round(sum(seconds for _name, _status, seconds in results))
    print(f"  {'total':<9} {total // 60:3d} min {total % 60:02d} s")
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
