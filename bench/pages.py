"""`make bench-pages`: public pages against the framework's ceiling, uncached and cached.

Builds a PostgreSQL database of its own with the demo plus 500 residents, 500 events and 200
articles, then, for each mode, starts gunicorn (2 sync workers, production settings, Redis cache)
on loopback and drives it with wrk (2 threads, 16
connections): a bare Django view (the ceiling, same stack, same run), then every public page type:
the home page, the residents' directory (plain and filtered), a resident, an article, the agenda,
an event, a programme, a contest and a 404. Every response's status is counted; any other status
than the one expected fails the run, and so does a missed goal.

The modes: "rendu" (page cache and fragment cache off: every request renders the whole page;
only site settings, menus and the like stay cached), "fragments" (page cache off, the header,
footer and home page sections served from the fragment cache) and "en cache" (full pages from
the page cache). The goals, each page type against the ceiling of its own run: ≥ 0.25 x in
"fragments" (issue 16: pages before the cache), ≥ 0.6 x in "en cache"; "rendu" keeps the
requests-a-second goal of issue 9 (ten times the official Wagtail demo), reported only.

Environment: BENCH_DATABASE (database name, default wt_perf_bench), BENCH_PG (server URL,
default postgres://postgres@127.0.0.1:5432), BENCH_REDIS (default: a redis-server of its own on a
free port, started and stopped here; the machine's shared Redis is never flushed),
BENCH_DURATION (seconds per measurement, default 8), BENCH_PORT (default 8765), BENCH_SETTINGS
(default bench.pages_settings, the production stack; see that module), BENCH_FIRST_VISIT_ONLY=1
(only the first visits: no load in any mode), BENCH_REUSE_DATABASE=1 (keep the database a
previous run built, to measure again quickly; the first visit "after load_demo" is then after a
restart on that database), BENCH_PAGES (the page names to measure, comma-separated, e.g.
"annuaire,agenda"; the ceiling is always measured).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench import first_visit

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "wt_perf_bench")
REDIS = os.environ.get("BENCH_REDIS", "")
DURATION = int(os.environ.get("BENCH_DURATION", "8"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
FIRST_VISIT_ONLY = os.environ.get("BENCH_FIRST_VISIT_ONLY") == "1"
REUSE_DATABASE = os.environ.get("BENCH_REUSE_DATABASE") == "1"
HOST = "127.0.0.1"

# The official Wagtail demo on this kind of machine (issue 9): requests a second by kind.
DEMO_FIGURES = {"home": 34, "index": 51, "article": 66}
#: Each page type's requests a second against the bare view's, by mode (issue 16).
RATIO_GOALS = {"fragments": 0.25, "en cache": 0.6}

WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do io.write(string.format("STATUS %d %d\\n", k, v)) end
  end
  io.write(string.format("P50 %f\\nP99 %f\\n", latency:percentile(50), latency:percentile(99)))
  io.write(string.format("RPS %f\\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("ERRORS %d\\n", summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    kind: str  # home, index, article, ceiling, 404
    status: int = 200


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    errors: int
    cold_ms: float
    #: The web workers' CPU time per request (ms), from /proc: it moves less than req/s when
    #: other processes share the machine. None where /proc cannot tell.
    cpu_ms: float | None = None


@dataclass(frozen=True)
class Mode:
    label: str
    page_cache: bool
    fragments: bool


MODES = [
    Mode("rendu", page_cache=False, fragments=False),
    Mode("fragments", page_cache=False, fragments=True),
    Mode("en cache", page_cache=True, fragments=True),
]


def env(mode: Mode, static_root: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("BENCH_SETTINGS", "bench.pages_settings"),
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "NEWSLETTERS_HASH_KEY": "bench-only-hash-key-" + "y" * 40,
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "CACHE_URL": REDIS,
        "CONN_MAX_AGE": "600",
        "STATIC_ROOT": static_root,
        "BENCH_CEILING": "1",
        "PAGECACHE_ENABLED": "1" if mode.page_cache else "0",
        "PAGECACHE_FRAGMENTS": "1" if mode.fragments else "0",
        "PAGECACHE_RELEASE": "bench",
        "LOG_LEVEL": "WARNING",
        "CELERY_TASK_ALWAYS_EAGER": "1",
        "PYTHONPATH": str(BASE_DIR),
    }


def run(args: list[str], environ: dict[str, str]) -> str:
    done = subprocess.run(  # noqa: S603 - fixed commands built here
        args, env=environ, cwd=BASE_DIR, check=False, capture_output=True, text=True
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"Échec : {' '.join(args)}")
    return done.stdout


def fresh_database(environ: dict[str, str], name: str = DATABASE, server: str = PG) -> None:
    """Drop and create the PostgreSQL database ``name`` on ``server`` (also `make lighthouse`)."""
    admin = {**environ, "PGPASSWORD": ""}
    for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
        run(["psql", f"{server}/postgres", "-q", "-c", sql], admin)


def prepare(environ: dict[str, str]) -> None:
    """A fresh database with the demo and the bulk content, and hashed static files."""
    print(f"Base {DATABASE} : création, migrations, démo et contenu en volume…", flush=True)
    fresh_database(environ)
    manage = [PYTHON, "manage.py"]
    run([*manage, "migrate", "--noinput"], environ)
    run([*manage, "load_demo"], environ)
    run([PYTHON, "-m", "bench.page_setup"], environ)
    run([*manage, "collectstatic", "--noinput"], environ)


def flush_redis() -> None:
    number = REDIS.rsplit("/", 1)[-1]
    host_port = REDIS.split("//", 1)[1].rsplit("/", 1)[0]
    host, port = host_port.split(":")
    subprocess.run(  # noqa: S603
        ["redis-cli", "-h", host, "-p", port, "-n", number, "FLUSHDB"],  # noqa: S607
        check=True,
        capture_output=True,
    )


def targets(environ: dict[str, str]) -> list[Target]:
    found = json.loads(run([PYTHON, "-m", "bench.page_setup", "--urls"], environ))
    return chosen(
        [
            Target("plafond (vue Django nue)", "/__bench__/plafond/", "ceiling"),
            Target("accueil", "/", "home"),
            Target("annuaire", found["directory"], "index"),
            Target("annuaire filtré", found["directory_filtered"], "index"),
            Target("résident", found["resident"], "article"),
            Target("article", found["article"], "article"),
            Target("agenda", found["events"], "index"),
            Target("événement", found["event"], "article"),
            Target("programme", found["program"], "article"),
            Target("concours", found["contest"], "article"),
            Target("404", "/cette-page-n-existe-pas/", "404", status=404),
        ],
        os.environ.get("BENCH_PAGES", ""),
    )


def chosen(pages: list[Target], names: str) -> list[Target]:
    """The ceiling and the pages ``names`` lists (comma-separated; empty: every page)."""
    wanted = {name.strip() for name in names.split(",") if name.strip()}
    unknown = wanted - {target.name for target in pages}
    if unknown:
        raise SystemExit(f"BENCH_PAGES : pages inconnues : {', '.join(sorted(unknown))}")
    return [t for t in pages if not wanted or t.kind == "ceiling" or t.name in wanted]


def fetch(path: str, port: int = PORT) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


GUNICORN = str(Path(PYTHON).parent / "gunicorn")


def start_server(
    environ: dict[str, str],
    log: Path,
    command: list[str] | None = None,
    port: int = PORT,
    ready_path: str = "/__bench__/plafond/",
) -> subprocess.Popen[bytes]:
    """Start gunicorn (``command``, by default the bench's 2 sync workers on ``port``) and
    return once ``ready_path`` answers 200."""
    server = subprocess.Popen(  # noqa: S603
        command
        or [
            GUNICORN,
            "config.wsgi",
            # The project's own settings and hooks (each worker's warm-up before it accepts a
            # visitor: ops.warmup), as `make serve` runs it; the bench's worker model on top,
            # without the periodic restarts, which would fall in the middle of a measurement.
            "--config=config/gunicorn.py",
            "--max-requests=0",
            "--threads=1",  # else gunicorn turns the sync workers into gthread ones
            "--workers=2",
            "--worker-class=sync",
            f"--bind={HOST}:{port}",
            "--log-level=warning",
        ],
        env=environ,
        cwd=BASE_DIR,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if fetch(ready_path, port)[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"gunicorn n'a pas démarré : voir {log}")


def wrk(path: str, script: Path) -> tuple[float, float, float, dict[int, int], int]:
    output = subprocess.run(  # noqa: S603
        [  # noqa: S607
            "wrk",
            "-t2",
            "-c16",
            f"-d{DURATION}s",
            "--timeout=10s",
            "-s",
            str(script),
            f"http://{HOST}:{PORT}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    statuses: dict[int, int] = {}
    for code, count in re.findall(r"^STATUS (\d+) (\d+)$", output, re.M):
        statuses[int(code)] = statuses.get(int(code), 0) + int(count)
    value = {
        key: float(v) for key, v in re.findall(r"^(P50|P99|RPS|ERRORS) ([\d.]+)$", output, re.M)
    }
    return value["RPS"], value["P50"] / 1000, value["P99"] / 1000, statuses, int(value["ERRORS"])


def server_cpu_seconds(server: subprocess.Popen[bytes]) -> float | None:
    """The CPU time (user and system) gunicorn's master and workers have used so far."""
    clock_ticks = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        total = 0
        for pid in [str(server.pid), *children]:
            # Fields 14 and 15 (utime, stime), counted after the command name's parenthesis.
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None
    return total / clock_ticks


def measure(mode: Mode, environ: dict[str, str], pages: list[Target], workdir: Path) -> dict:
    flush_redis()
    log = workdir / "gunicorn.log"
    server = start_server(environ, log)
    script = workdir / "statuses.lua"
    script.write_text(WRK_SCRIPT)
    results: dict[str, Result] = {}
    try:
        # Cold: the first request of each page after the server started on an empty cache.
        cold = {target.name: fetch(target.path) for target in pages}
        for target in pages:
            for _ in range(4):
                fetch(target.path)  # both workers warm, and the page stored if cacheable
            cpu_before = server_cpu_seconds(server)
            rps, p50, p99, statuses, errors = wrk(target.path, script)
            cpu_after = server_cpu_seconds(server)
            served = sum(statuses.values())
            cpu_ms = (
                (cpu_after - cpu_before) * 1000 / served
                if cpu_before is not None and cpu_after is not None and served
                else None
            )
            results[target.name] = Result(
                rps, p50, p99, statuses, errors, cold[target.name][1], cpu_ms
            )
            print(
                f"  {mode.label} · {target.name} : {rps:,.0f} req/s"
                f" (charge de la machine : {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def kind_goal(target: Target) -> float | None:
    return None if target.kind in ("ceiling",) else 10 * DEMO_FIGURES.get(target.kind, 66)


def main() -> int:
    global REDIS  # read by env() and flush_redis() for this run
    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    if REDIS:
        return report(workdir)
    from tests.services import RedisServer

    with RedisServer(workdir).running() as server:
        REDIS = server.url_for(9)
        return report(workdir)


def report(workdir: Path) -> int:
    static_root = str(workdir / "static")
    base_env = env(MODES[0], static_root)
    if REUSE_DATABASE:
        run([PYTHON, "manage.py", "collectstatic", "--noinput"], base_env)
    else:
        prepare(base_env)
    pages = targets(base_env)
    first = first_visit.measure(  # before anything else asks for a page
        f"http://{HOST}:{PORT}",
        [(target.name, target.path) for target in pages if target.kind != "ceiling"],
        lambda: start_server(base_env, workdir / "gunicorn.log"),
        first_visit.publisher(PYTHON, base_env, str(BASE_DIR)),
    )
    if FIRST_VISIT_ONLY:
        failures = first_visit.print_table(first)
        for failure in failures:
            print("✗", failure)
        return 0 if not failures else 1
    results = {}
    queries = {}
    for mode in MODES:
        print(f"Mesures, mode « {mode.label} »…", flush=True)
        results[mode] = measure(mode, env(mode, static_root), pages, workdir)
        # Counted in-process once the site is warm: rendered (page cache off) and from the cache.
        queries[mode] = json.loads(
            run([PYTHON, "-m", "bench.page_setup", "--queries"], env(mode, static_root))
        )

    failures = print_table(pages, results, queries)
    failures += first_visit.print_table(first)
    print()
    print(
        f"Charge moyenne de la machine à la fin : {os.getloadavg()[0]:.1f} sur {os.cpu_count()}"
        " cœurs (d'autres processus faussent les mesures si elle dépasse le nombre de cœurs)."
    )
    for failure in failures:
        print("✗", failure)
    statuses_ok = not any("statuts" in failure for failure in failures)
    print("Tous les statuts attendus." if statuses_ok else "Des statuts inattendus.")
    print("Tous les objectifs atteints." if not failures else "Des objectifs manqués.")
    return 0 if not failures else 1


def ratio_label(ratio: float) -> str:
    """« 0,25 »: ratios as a French reader writes them."""
    return f"{ratio:.2f}".rstrip("0").rstrip(".").replace(".", ",")


@dataclass(frozen=True)
class Goal:
    """What a row is held to, and whether it holds; ``blocking`` goals fail the run."""

    label: str
    met: bool
    blocking: bool


def goal_for(mode: Mode, target: Target, result: Result, ratio: float) -> Goal | None:
    if target.kind == "ceiling":
        return None
    wanted_ratio = RATIO_GOALS.get(mode.label)
    if wanted_ratio is not None:
        label = f"≥ {ratio_label(wanted_ratio)} × plafond"  # noqa: RUF001 - the sign meant
        return Goal(label, ratio >= wanted_ratio, True)
    wanted = kind_goal(target) or 0
    return Goal(f"≥ {wanted:,.0f} req/s", result.rps >= wanted, False)


@dataclass(frozen=True)
class Column:
    """One column of the table: its heading, its width, and its cell for a row. Another
    measure (the first request after a publish, say) adds its own to ``COLUMNS``."""

    heading: str
    width: int
    cell: Callable[[Row], str]
    left: bool = False

    def render(self, text: str) -> str:
        return f"{text:<{self.width}}" if self.left else f"{text:>{self.width}}"


@dataclass(frozen=True)
class Row:
    target: Target
    mode: Mode
    result: Result
    ratio: float
    sql: int
    goal: Goal | None
    #: The ceiling's CPU per request over this page's (same mode, same run); None if unknown.
    cpu_ratio: float | None = None


def goal_cell(row: Row) -> str:
    if row.goal is None:
        return ""
    if not row.goal.blocking:
        # Issue 9's figures, printed for comparison: not a goal this run is held to.
        return f"{row.goal.label} : {'atteint' if row.goal.met else 'non'} (indicatif)"
    return f"{row.goal.label} : {'atteint' if row.goal.met else 'MANQUÉ'}"


COLUMNS = [
    Column("page", 26, lambda row: row.target.name, left=True),
    Column("mode", 11, lambda row: row.mode.label, left=True),
    Column("req/s", 8, lambda row: f"{row.result.rps:,.0f}"),
    Column("p50 ms", 8, lambda row: f"{row.result.p50_ms:.1f}"),
    Column("p99 ms", 8, lambda row: f"{row.result.p99_ms:.1f}"),
    Column("requêtes SQL", 14, lambda row: str(row.sql)),
    Column("/plafond", 10, lambda row: f"{row.ratio:.2f}"),
    Column(
        "ms CPU", 8, lambda row: "" if row.result.cpu_ms is None else f"{row.result.cpu_ms:.1f}"
    ),
    Column("/pl. CPU", 10, lambda row: "" if row.cpu_ratio is None else f"{row.cpu_ratio:.2f}"),
    Column("1re (ms)", 10, lambda row: f"{row.result.cold_ms:.0f}"),
    Column("  objectif", 36, lambda row: "  " + goal_cell(row), left=True),
]


def statuses_text(result: Result) -> str:
    text = ", ".join(f"{code}x{count}" for code, count in sorted(result.statuses.items()))
    return text + (f", erreurs : {result.errors}" if result.errors else "")


def print_table(pages: list[Target], results: dict, queries: dict) -> list[str]:
    """Print one row per page and mode; returns the failures (statuses, missed goals)."""
    failures = []
    print()
    header = "".join(column.render(column.heading) for column in COLUMNS) + "statuts"
    print(header)
    print("-" * len(header))
    for mode in MODES:
        ceiling = results[mode][pages[0].name].rps
        ceiling_cpu = results[mode][pages[0].name].cpu_ms
        for target in pages:
            result = results[mode][target.name]
            ratio = result.rps / ceiling
            row = Row(
                target,
                mode,
                result,
                ratio,
                queries[mode][target.path]["cached" if mode.page_cache else "uncached"],
                goal_for(mode, target, result, ratio),
                ceiling_cpu / result.cpu_ms if ceiling_cpu and result.cpu_ms else None,
            )
            statuses = statuses_text(result)
            print("".join(column.render(column.cell(row)) for column in COLUMNS) + statuses)
            if set(result.statuses) != {target.status} or result.errors:
                failures.append(f"{target.name} ({mode.label}) : statuts inattendus {statuses}")
            if row.goal is not None and row.goal.blocking and not row.goal.met:
                failures.append(
                    f"{target.name} ({mode.label}) : objectif manqué ({row.goal.label})"
                )
    return failures


if __name__ == "__main__":
    sys.exit(main())
