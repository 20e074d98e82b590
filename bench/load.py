"""``make bench-load``: the served stack under 64 concurrent connections, 30 s a scenario.

Starts what ``make serve`` runs (honcho, the Procfile, production settings) on a free loopback
port, against a PostgreSQL database, a redis-server and an SMTP sink of its own (Postfix's
``smtp-sink``, which records each message's recipients), with the demo
content; then drives it with wrk: the home page, the residents' directory, and the newsletter
sign-up POST. Prints requests a second and p50/p99 latency, and fails if any request errs or
answers anything but the expected status.

After the sign-ups, it waits for the outbox to drain and counts at its SMTP sink the
confirmation emails per address: one for each address signed up, none twice, none lost, or
the run fails. It prints whether the sign-up reached its goal (SIGNUP_GOAL requests a second),
and the CPU each request cost every process of the stack (from /proc; for the sign-up, from the
first POST until the outbox is drained): on a shared, noisy machine that figure moves less than
the requests a second.

The registration scenario: 500 people register for a 300-seat event with a waiting list from
64 connections at once (Python threads, one new connection per person: a number of people, not
a duration, which wrk cannot do without parking idle connections that the server then closes
under a request in flight): every answer must be a 303, the
event must end with exactly 300 registered and 200 waiting, and each address must receive
exactly one email (its confirmation or its waiting-list place) at the sink. The registration
is rate-limited per client address too (REGISTRATIONS_RATE_LIMIT_IP), raised the same way.

The sign-up is rate-limited per client address (NEWSLETTERS_RATE_LIMIT_IP, 20 an hour by
default): every request here comes from 127.0.0.1, so the bench raises that limit for its own
stack, and each request uses an address of its own. With BENCH_URL set, the bench uses an
already running ``make serve`` at that URL instead (start it with a raised limit).

BENCH_SCENARIOS keeps only the scenarios whose label contains one of its comma-separated words
(``BENCH_SCENARIOS=inscription``); BENCH_PORT and BENCH_SMTP_PORT fix the ports of the stack
and of the sink (free ones otherwise).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.send import process_tree
from bench.sink import SmtpSink
from tests.services import (
    PostgresDatabase,
    RedisServer,
    ServedStack,
    free_port,
    signup_form,
    wait_for,
)

BENCH_DIR = Path(__file__).resolve().parent
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
DURATION = os.environ.get("BENCH_DURATION", "30s")
# The goal for the sign-up POST at 64 connections.
SIGNUP_GOAL = 100.0
# How long the outbox may take to drain once the sign-ups stop.
DRAIN_TIMEOUT = float(os.environ.get("BENCH_DRAIN_TIMEOUT", "300"))
SCENARIOS = [
    ("page d'accueil", "GET", "/", 200),
    ("annuaire des résidents", "GET", "/residents/", 200),
    ("inscription (POST)", "POST", "/newsletter/", 302),
]


SCENARIO_WORDS = os.environ.get("BENCH_SCENARIOS", "")


def chosen(label: str, words: str) -> bool:
    """Whether ``label`` contains one of the comma-separated ``words`` (yes if none)."""
    wanted = [word.strip().lower() for word in words.split(",") if word.strip()]
    return not wanted or any(word in label.lower() for word in wanted)


def chosen_scenarios(words: str) -> list[tuple[str, str, str, int]]:
    """The scenarios whose label contains one of the comma-separated ``words`` (all if none)."""
    return [s for s in SCENARIOS if chosen(s[0], words)]


#: The registration scenario's name for BENCH_SCENARIOS ("événement" picks it alone).
REGISTRATION_SCENARIO = "inscriptions à un événement"


# What each process of the stack is, from its command line (honcho names none of them).
ROLES = (
    ("gunicorn", "web"),
    ("celery -A config --quiet worker", "worker"),
    ("celery -A config --quiet beat", "beat"),
    ("honcho", "honcho"),
    ("redis-server", "redis"),
    ("postgres", "postgres"),
    ("smtp-sink", "puits SMTP"),
)


def role_of(command_line: str) -> str:
    return next((role for marker, role in ROLES if marker in command_line), "autre")


def cpu_ticks(pid: int) -> int | None:
    """User and system CPU of ``pid`` so far, in clock ticks (None once it has exited)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@dataclass
class CpuMeter:
    """CPU used by the stack's processes, its Redis, its database's PostgreSQL backends, the
    SMTP sink and the bench's own process, read from /proc between two moments."""

    stack_pid: int | None
    redis_pid: int | None
    database_url: str | None
    database_name: str | None
    sink_pid: int | None = None

    def pids(self) -> list[int]:
        pids = [os.getpid()]
        if self.sink_pid is not None:
            pids.append(self.sink_pid)
        if self.stack_pid is not None:
            # honcho starts each process in a session of its own: follow parents, not groups.
            pids += process_tree(self.stack_pid)
        if self.redis_pid is not None:
            pids.append(self.redis_pid)
        if self.database_url and self.database_name:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as connection:
                pids += [
                    int(row[0])
                    for row in connection.execute(
                        "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                        "AND pid <> pg_backend_pid()",
                        [self.database_name],
                    )
                ]
        return pids

    def snapshot(self) -> dict[int, tuple[str, int]]:
        """Each process's role and CPU ticks so far."""
        taken: dict[int, tuple[str, int]] = {}
        for pid in self.pids():
            ticks = cpu_ticks(pid)
            if ticks is not None:
                role = "bench" if pid == os.getpid() else role_of(command_line(pid))
                taken[pid] = (role, ticks)
        return taken

    @staticmethod
    def spent(
        before: dict[int, tuple[str, int]], after: dict[int, tuple[str, int]]
    ) -> dict[str, float]:
        """CPU seconds per role between two snapshots (a process born since counts whole)."""
        per_role: dict[str, float] = {}
        ticks_per_second = os.sysconf("SC_CLK_TCK")
        for pid, (role, ticks) in after.items():
            spent = (ticks - before.get(pid, (role, 0))[1]) / ticks_per_second
            per_role[role] = per_role.get(role, 0.0) + spent
        return per_role


def cpu_lines(spent: dict[str, float], requests: int) -> list[str]:
    """CPU milliseconds per request, per role and in all, most expensive first."""
    if not requests:
        return []
    lines = [
        f"  {role:<22}{seconds * 1000 / requests:>8.2f} ms/req"
        for role, seconds in sorted(spent.items(), key=lambda item: -item[1])
        if seconds > 0
    ]
    total = sum(spent.values()) * 1000 / requests
    return [*lines, f"  {'total':<22}{total:>8.2f} ms/req"]


def run_wrk(
    base_url: str,
    path: str,
    script: str,
    env: dict[str, str],
    duration: str = DURATION,
    timeout: str = "10s",
) -> dict:
    command = [
        "wrk",
        f"--threads={min(2, CONNECTIONS)}",
        f"--connections={CONNECTIONS}",
        f"--duration={duration}",
        f"--timeout={timeout}",
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


class CountingSink:
    """The bench's SMTP sink: Postfix's ``smtp-sink`` (C), counting messages per recipient.

    It runs on the same two cores as the stack; aiosmtpd in the bench's own process cost about
    2 ms of CPU a confirmation (more than Redis), where smtp-sink, a separate process whose CPU
    is counted with the stack's, costs a small fraction of that. Its dump names each
    recipient of each message (``bench.sink.SmtpSink``, ``per_recipient``).
    """

    def __init__(self, directory: Path, port: int) -> None:
        self.port = port
        self.sink = SmtpSink(directory, port, per_recipient=True)

    @property
    def pid(self) -> int | None:
        return self.sink.process.pid if self.sink.process else None

    def count(self, prefix: str) -> Counter[str]:
        """Messages accepted so far per address starting with ``prefix``."""
        return Counter(
            {a: n for a, n in self.sink.per_address().items() if a.startswith(prefix.lower())}
        )

    def total(self) -> int:
        return sum(self.sink.per_address().values())


@contextmanager
def counting_sink(directory: Path) -> Iterator[CountingSink]:
    sink = CountingSink(directory, int(os.environ.get("BENCH_SMTP_PORT") or free_port()))
    sink.sink.start()
    try:
        yield sink
    finally:
        sink.sink.stop()


def signup_prefix(run: str) -> str:
    """The start of every address the sign-up scenario of ``run`` uses (see subscribe.lua)."""
    return f"bench-{run}-"


@dataclass(frozen=True)
class ConfirmationTally:
    """The sink's count held against the addresses signed up."""

    sent: int
    addresses: int
    duplicates: int
    lost: int
    unknown: int

    @classmethod
    def of(cls, signed_up: set[str], received: Counter[str]) -> ConfirmationTally:
        return cls(
            sent=sum(received.values()),
            addresses=len(received),
            duplicates=sum(count - 1 for count in received.values() if count > 1),
            lost=len(signed_up - received.keys()),
            unknown=len(received.keys() - signed_up),
        )

    @property
    def healthy(self) -> bool:
        """Every address signed up got exactly one message, and no other address got one."""
        return self.addresses > 0 and not (self.duplicates or self.lost or self.unknown)

    def line(self) -> str:
        return (
            f"confirmations : {self.sent} envoyées, {self.addresses} adresses, "
            f"{self.duplicates} doublon, {self.lost} perdue"
        )


def address_pattern(run: str) -> str:
    """The LIKE pattern of every address the sign-up scenario of ``run`` used."""
    return signup_prefix(run).replace("_", r"\_").replace("%", r"\%") + "%"


def wait_for_drain(database_url: str, pattern: str) -> float | None:
    """Wait until no email to an address matching ``pattern`` (ILIKE: a run's addresses) is
    left unsent in the outbox; its duration, or None past DRAIN_TIMEOUT."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as connection:
        while True:
            row = connection.execute(
                'SELECT count(*) FROM newsletters_outboxemail WHERE "to" ILIKE %s '
                "AND sent_at IS NULL",
                [pattern],
            ).fetchone()
            unsent = int(row[0]) if row else 0
            if not unsent:
                break
            if time.monotonic() - started > DRAIN_TIMEOUT:
                late = f"{unsent} courriel(s) encore en attente après {DRAIN_TIMEOUT:.0f} s"
                print(f"\nÉCHEC : {late}")
                return None
            time.sleep(0.2)
    return time.monotonic() - started


def signed_up_addresses(database_url: str, run: str) -> set[str]:
    """Every address the sign-up scenario of ``run`` subscribed, lower-cased."""
    import psycopg

    with psycopg.connect(database_url) as connection:
        return {
            row[0].lower()
            for row in connection.execute(
                "SELECT email FROM newsletters_subscriber WHERE email ILIKE %s",
                [address_pattern(run)],
            )
        }


def check_confirmations(database_url: str, sink: CountingSink, run: str) -> bool:
    """Wait for the outbox to drain, then match the sink's count to the sign-ups, address by
    address: print the line and return whether each address got exactly one confirmation."""
    prefix = signup_prefix(run)
    drained = wait_for_drain(database_url, address_pattern(run))
    if drained is None:
        return False
    signed_up = signed_up_addresses(database_url, run)
    tally = ConfirmationTally.of(signed_up, sink.count(prefix))
    print(
        f"\nBoîte d'envoi vidée en {drained:.1f} s après le décompte ; "
        f"{len(signed_up)} adresse(s) inscrite(s)"
    )
    print(tally.line())
    if tally.unknown:
        print(f"  ÉCHEC : {tally.unknown} adresse(s) jamais inscrite(s) ont reçu un courriel")
    if not tally.healthy:
        print("  ÉCHEC : chaque adresse inscrite doit recevoir exactement une confirmation")
    return tally.healthy


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


# The registration scenario: so many people for an event of so many seats, with a waiting list.
REGISTRATION_PEOPLE = int(os.environ.get("BENCH_REGISTRATIONS", "500"))
REGISTRATION_SEATS = int(os.environ.get("BENCH_REGISTRATION_SEATS", "300"))
# Seconds a registration may take before it counts as an error.
REGISTRATION_TIMEOUT = float(os.environ.get("BENCH_REGISTRATION_TIMEOUT", "60"))


@dataclass
class PostOutcome:
    """What a batch of POSTs got back: statuses, transport errors, latencies, duration."""

    statuses: Counter[int]
    errors: Counter[str]
    latencies_ms: list[float]
    seconds: float

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


def post_all(base_url: str, path: str, bodies: list[str], headers: dict[str, str]) -> PostOutcome:
    """POST each body once from CONNECTIONS threads, each request on a connection of its own
    (never retried: a lost request shows as an error)."""
    import http.client
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import urlsplit

    netloc = urlsplit(base_url)
    outcome = PostOutcome(Counter(), Counter(), [], 0.0)
    lock = threading.Lock()

    def post(body: str) -> None:
        started = time.monotonic()
        connection = http.client.HTTPConnection(
            netloc.hostname or "127.0.0.1", netloc.port, timeout=REGISTRATION_TIMEOUT
        )
        try:
            connection.request("POST", path, body=body.encode(), headers=headers)
            response = connection.getresponse()
            response.read()
            result: tuple[str, int | str] = ("status", response.status)
        except (OSError, http.client.HTTPException) as error:
            result = ("error", type(error).__name__)
        finally:
            connection.close()
        with lock:
            if result[0] == "status":
                outcome.statuses[int(result[1])] += 1
                outcome.latencies_ms.append((time.monotonic() - started) * 1000)
            else:
                outcome.errors[str(result[1])] += 1

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        list(pool.map(post, bodies))
    outcome.seconds = time.monotonic() - started
    return outcome


@dataclass(frozen=True)
class SeatTally:
    """An event's registrations after the scenario, held against its seats and the people."""

    confirmed: int
    waiting: int
    other: int
    seats: int
    people: int

    @property
    def healthy(self) -> bool:
        """Every seat taken once, everyone else waiting, nothing else (no one lost)."""
        return (
            self.confirmed == min(self.seats, self.people)
            and self.waiting == max(0, self.people - self.seats)
            and self.other == 0
        )

    def line(self) -> str:
        return (
            f"places : {self.confirmed} inscrites sur {self.seats}, {self.waiting} en liste "
            f"d'attente, {self.other} autre(s) ; attendu {min(self.seats, self.people)} et "
            f"{max(0, self.people - self.seats)}"
        )


def registration_scenario(stack: ServedStack, sink: CountingSink, database_url: str) -> bool:
    """REGISTRATION_PEOPLE registrations for a new event of REGISTRATION_SEATS seats from
    CONNECTIONS connections: print the row and the tallies, return whether all held."""
    import psycopg

    created = stack.manage(
        "shell",
        "-c",
        f"from bench.registration_setup import create_event; create_event({REGISTRATION_SEATS})",
    )
    event_id = int(re.findall(r"^(\d+)$", created, re.MULTILINE)[-1])
    path = f"/inscriptions/evenement/{event_id}/"
    wait_for_idle_worker(stack.env["CELERY_BROKER_URL"])
    page = stack.get(path)
    if page.status != 200:
        sys.exit(f"Formulaire d'inscription à l'événement indisponible ({page.status}).")
    run = str(int(time.time()))
    bodies = [
        urlencode(
            {
                "name": f"Personne {number}",
                "email": f"reg-{run}-{number}@example.org",
                "phone": "",
                "consent": "on",
                "website": "",
            }
        )
        for number in range(REGISTRATION_PEOPLE)
    ]
    headers = {
        "X-Forwarded-Proto": "https",
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": stack.origin,
    }
    outcome = post_all(stack.base_url, path, bodies, headers)
    label = f"inscriptions ({REGISTRATION_PEOPLE})"
    print(
        f"{label:<26}{REGISTRATION_PEOPLE / outcome.seconds:>9.1f}"
        f"{outcome.percentile(0.5):>9.1f}{outcome.percentile(0.99):>9.1f}  "
        f"{dict(outcome.statuses)} erreurs {dict(outcome.errors)} en {outcome.seconds:.1f} s"
    )
    healthy = outcome.statuses == Counter({303: REGISTRATION_PEOPLE}) and not outcome.errors
    if not healthy:
        print(f"  ÉCHEC : attendu {REGISTRATION_PEOPLE} réponses 303 et aucune erreur")
    with psycopg.connect(database_url) as connection:
        rows: dict[str, int] = dict(
            connection.execute(
                "SELECT status, count(*) FROM registrations_registration WHERE event_id = %s "
                "GROUP BY status",
                [event_id],
            ).fetchall()
        )
    confirmed, waiting = rows.pop("confirmed", 0), rows.pop("waiting", 0)
    seats = SeatTally(
        confirmed, waiting, sum(rows.values()), REGISTRATION_SEATS, REGISTRATION_PEOPLE
    )
    print(seats.line())
    if not seats.healthy:
        print("  ÉCHEC : chaque place doit être prise une fois, les autres en liste d'attente")
    prefix = f"reg-{run}-"
    drained = wait_for_drain(database_url, prefix + "%")
    if drained is None:
        return False
    with psycopg.connect(database_url) as connection:
        registered = {
            row[0].lower()
            for row in connection.execute(
                "SELECT email FROM registrations_registration WHERE event_id = %s", [event_id]
            )
        }
    mails = ConfirmationTally.of(registered, sink.count(prefix))
    print(
        f"courriels d'inscription (boîte d'envoi vidée en {drained:.1f} s) : {mails.sent} "
        f"envoyés, {mails.addresses} adresses, {mails.duplicates} doublon, {mails.lost} perdu, "
        f"{mails.unknown} inconnu"
    )
    if not mails.healthy:
        print("  ÉCHEC : chaque personne inscrite doit recevoir exactement un courriel")
    return healthy and seats.healthy and mails.healthy


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


def bench(
    stack: ServedStack,
    sink: CountingSink | None,
    broker_url: str | None = None,
    database_url: str | None = None,
    meter: CpuMeter | None = None,
) -> bool:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"\n{CONNECTIONS} connexions, {DURATION} par scénario, contre {stack.base_url}")
    print(f"{os.cpu_count()} processeurs, charge de la machine avant : {load}\n")
    print(f"{'scénario':<26}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  réponses")
    healthy = True
    signup_rate: float | None = None
    runs: list[str] = []
    cpu_reports: list[str] = []
    for label, method, path, expected in chosen_scenarios(SCENARIO_WORDS):
        wait_for_idle_worker(broker_url)
        stack.get(path)  # warm the caches as a first visitor would
        before = meter.snapshot() if meter else {}
        if method == "POST":
            env = signup_env(stack)
            runs.append(env["BENCH_RUN"])
            outcome = run_wrk(stack.base_url, path, "subscribe.lua", env)
            if database_url is not None:
                # The worker's share of a sign-up is paid while the outbox drains.
                wait_for_drain(database_url, address_pattern(env["BENCH_RUN"]))
        else:
            outcome = run_wrk(stack.base_url, path, "get.lua", {})
        if meter:
            spent = meter.spent(before, meter.snapshot())
            # wrk counts the answers it read; requests still in flight when it stopped were
            # served too: for the sign-up, count what the database holds.
            served = outcome["requests"]
            if method == "POST" and database_url is not None:
                served = len(signed_up_addresses(database_url, env["BENCH_RUN"])) or served
            cpu_reports += [f"\nCPU par requête, {label} :", *cpu_lines(spent, served)]
        seconds = outcome["duration_us"] / 1e6
        statuses = {int(status): count for status, count in outcome["statuses"].items()}
        errors = {key: outcome[key] for key in ("connect", "read", "write", "timeout")}
        wrong = {status: count for status, count in statuses.items() if status != expected}
        print(
            f"{label:<26}{outcome['requests'] / seconds:>9.1f}"
            f"{outcome['p50_us'] / 1000:>9.1f}{outcome['p99_us'] / 1000:>9.1f}  "
            f"{statuses} erreurs {errors}"
        )
        if method == "POST":
            signup_rate = outcome["requests"] / seconds
        if wrong or any(errors.values()):
            healthy = False
            print(f"  ÉCHEC : réponses inattendues {wrong}, erreurs {errors}")
    print("\n".join(cpu_reports))
    if chosen(REGISTRATION_SCENARIO, SCENARIO_WORDS):
        if sink is not None and database_url is not None:
            healthy = registration_scenario(stack, sink, database_url) and healthy
        else:
            print("\ninscriptions : non mesurées (pile externe, BENCH_URL)")
    if signup_rate is not None:
        reached = "atteint" if signup_rate >= SIGNUP_GOAL else "MANQUÉ"
        print(f"\ninscription ≥ {SIGNUP_GOAL:.0f} req/s : {reached} ({signup_rate:.1f} req/s)")
    if sink is not None and database_url is not None:
        for run in runs:
            healthy = check_confirmations(database_url, sink, run) and healthy
    else:
        print("\nconfirmations : non comptées (pile externe, BENCH_URL)")
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
    # A name of its own per bench run, so that two runs at once (or another bench) never drop
    # each other's database; BENCH_DATABASE names it outright.
    database = PostgresDatabase(
        os.environ.get("BENCH_DATABASE") or f"carburateur_bench_load_{os.getpid()}"
    )
    database.create()
    try:
        with RedisServer(directory).running() as redis, counting_sink(directory) as sink:
            env = {
                "NEWSLETTERS_RATE_LIMIT_IP": "100000000",
                "REGISTRATIONS_RATE_LIMIT_IP": "100000000",
                "OPS_HEARTBEAT_SECONDS": "30",
                "OPS_HEARTBEAT_STALE_SECONDS": "120",
            }
            if os.environ.get("BENCH_PORT"):
                port = os.environ["BENCH_PORT"]
                env |= {"PORT": port, "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}"}
            stack = ServedStack(directory, database.url, redis, sink.port, env=env)
            stack.port = int(stack.env["PORT"])
            # The stack sizes itself from the CPU count, as `make serve` does.
            for name in ("WEB_CONCURRENCY", "CELERY_CONCURRENCY"):
                stack.env.pop(name)
            print("Préparation : preflight, migrate, collectstatic, démo…", flush=True)
            stack.prepare()
            # The sign-up needs only what the migrations write (topics, consent wording); the
            # pages and the registration's event (under the agenda) need the demo.
            if chosen(REGISTRATION_SCENARIO, SCENARIO_WORDS) or any(
                method == "GET" for _l, method, _p, _s in chosen_scenarios(SCENARIO_WORDS)
            ):
                stack.manage("load_demo", timeout=900)
            stack.start()
            meter = CpuMeter(
                stack_pid=stack.process.pid if stack.process else None,
                redis_pid=redis.process.pid if redis.process else None,
                database_url=database.url,
                database_name=database.name,
                sink_pid=sink.pid,
            )
            try:
                healthy = bench(stack, sink, redis.url_for(0), database.url, meter)
            finally:
                stack.stop()
                print(f"Journal de la pile : {stack.log}")
    finally:
        database.drop()
    sys.exit(0 if healthy else 1)


if __name__ == "__main__":
    main()
