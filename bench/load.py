"""``make bench-load``: the served stack under 64 concurrent connections, 30 s a scenario.

Starts what ``make serve`` runs (honcho, the Procfile, production settings) on a free loopback
port, against a PostgreSQL database, a redis-server and an SMTP sink of its own, with the demo
content; then drives it with wrk: the home page, the residents' directory, and the newsletter
sign-up POST. Prints requests a second and p50/p99 latency, and fails if any request errs or
answers anything but the expected status.

The sign-up is rate-limited per client address (NEWSLETTERS_RATE_LIMIT_IP, 20 an hour by
default): every request here comes from 127.0.0.1, so the bench raises that limit for its own
stack, and each request uses an address of its own. With BENCH_URL set, the bench uses an
already running ``make serve`` at that URL instead (start it with a raised limit).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.services import (
    PostgresDatabase,
    RedisServer,
    ServedStack,
    SmtpInbox,
    signup_form,
    smtp_server,
    wait_for,
)

BENCH_DIR = Path(__file__).resolve().parent
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
DURATION = os.environ.get("BENCH_DURATION", "30s")
SCENARIOS = [
    ("page d'accueil", "GET", "/", 200),
    ("annuaire des résidents", "GET", "/residents/", 200),
    ("inscription (POST)", "POST", "/newsletter/", 302),
]


def run_wrk(base_url: str, path: str, script: str, env: dict[str, str]) -> dict:
    command = [
        "wrk",
        f"--threads={min(2, CONNECTIONS)}",
        f"--connections={CONNECTIONS}",
        f"--duration={DURATION}",
        "--timeout=10s",
        f"--script={BENCH_DIR / script}",
        base_url + path,
    ]
    result = subprocess.run(  # noqa: S603
        command,
        env={**os.environ, "LUA_PATH": f"{BENCH_DIR}/?.lua;;", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    match = re.search(r"^BENCH (\{.*\})$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or match is None:
        sys.exit(f"wrk a échoué :\n{result.stdout}\n{result.stderr}")
    return json.loads(match[1])


def signup_env(stack: ServedStack) -> dict[str, str]:
    """The form as served, fetched once: every POST sends it with an address of its own.

    The sign-up is a CSRF-exempt double opt-in (so that pages carrying it can be cached, see
    pagecache), so no token or cookie is needed; each POST still goes through validation, the
    honeypot and the rate limit.
    """
    page = stack.get("/newsletter/")
    if page.status != 200:
        sys.exit(f"Formulaire d'inscription indisponible ({page.status}).")
    form = urlencode(signup_form(page.text, "EMAIL"))
    return {
        "BENCH_FORM": form,
        "BENCH_ORIGIN": stack.origin,
        "BENCH_RUN": str(int(time.time())),
    }


def wait_for_idle_worker(broker_url: str | None) -> None:
    """Let the worker finish queued tasks (the demo's search indexing) so it does not compete."""
    if broker_url is None:
        return
    import redis

    client = redis.Redis.from_url(broker_url)
    try:
        wait_for(lambda: client.llen("celery") == 0, "la file Celery vide", timeout=300)
    finally:
        client.close()


def bench(stack: ServedStack, inbox: SmtpInbox | None, broker_url: str | None = None) -> bool:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{CONNECTIONS} connexions, {DURATION} par scénario, contre {stack.base_url}")
    print(f"{os.cpu_count()} processeurs, charge de la machine avant : {load}\n")
    print(f"{'scénario':<26}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  réponses")
    healthy = True
    for label, method, path, expected in SCENARIOS:
        wait_for_idle_worker(broker_url)
        stack.get(path)  # warm the caches as a first visitor would
        if method == "POST":
            outcome = run_wrk(stack.base_url, path, "subscribe.lua", signup_env(stack))
        else:
            outcome = run_wrk(stack.base_url, path, "get.lua", {})
        seconds = outcome["duration_us"] / 1e6
        statuses = {int(status): count for status, count in outcome["statuses"].items()}
        errors = {key: outcome[key] for key in ("connect", "read", "write", "timeout")}
        wrong = {status: count for status, count in statuses.items() if status != expected}
        print(
            f"{label:<26}{outcome['requests'] / seconds:>9.1f}"
            f"{outcome['p50_us'] / 1000:>9.1f}{outcome['p99_us'] / 1000:>9.1f}  "
            f"{statuses} erreurs {errors}"
        )
        if wrong or any(errors.values()):
            healthy = False
            print(f"  ÉCHEC : réponses inattendues {wrong}, erreurs {errors}")
    if inbox is not None:
        print(f"\nCourriels de confirmation reçus par le serveur SMTP : {len(inbox.messages)}")
    ready = stack.get("/readyz")
    print(f"/readyz après la charge : {ready.status}")
    return healthy and ready.status == 200


class ExternalStack(ServedStack):
    """A ``make serve`` already running at BENCH_URL: only its URL is used."""

    def __init__(self, url: str) -> None:
        self._url = url.rstrip("/")

    @property
    def base_url(self) -> str:
        return self._url

    @property
    def origin(self) -> str:
        return "https://" + self._url.split("://", 1)[1]


def main() -> None:
    if shutil.which("wrk") is None:
        sys.exit("wrk est introuvable : apt-get install wrk")
    if os.environ.get("BENCH_URL"):
        sys.exit(0 if bench(ExternalStack(os.environ["BENCH_URL"]), None) else 1)

    directory = Path(tempfile.mkdtemp(prefix="carburateur-bench-"))
    database = PostgresDatabase("carburateur_bench")
    database.create()
    try:
        with RedisServer(directory).running() as redis, smtp_server() as inbox:
            env = {
                "NEWSLETTERS_RATE_LIMIT_IP": "100000000",
                "OPS_HEARTBEAT_SECONDS": "30",
                "OPS_HEARTBEAT_STALE_SECONDS": "120",
            }
            stack = ServedStack(directory, database.url, redis, inbox.port, env=env)
            # The stack sizes itself from the CPU count, as `make serve` does.
            for name in ("WEB_CONCURRENCY", "CELERY_CONCURRENCY"):
                stack.env.pop(name)
            print("Préparation : preflight, migrate, collectstatic, démo…", flush=True)
            stack.prepare()
            stack.manage("load_demo")
            stack.start()
            try:
                healthy = bench(stack, inbox, redis.url_for(0))
            finally:
                stack.stop()
                print(f"Journal de la pile : {stack.log}")
    finally:
        database.drop()
    sys.exit(0 if healthy else 1)


if __name__ == "__main__":
    main()
