"""``make bench-send``: how fast a newsletter goes out, against the ceiling of the SMTP backend.

Real services, all on loopback and started here: PostgreSQL (its own database,
``bench_send``, dropped and created again), a redis-server of its own on a free port, an
aiosmtpd sink in its own process that counts what it accepts, and a Celery worker with
concurrency 2. For each size (10,000 and 100,000 confirmed subscribers by default) it times a
send from the "Envoyer" call to the last message counted at the sink, then times a bare loop
of Django's SMTP backend sending the same rendered messages over one connection (the ceiling),
and samples the worker processes' memory. Usage::

    python bench/send.py [10000 100000]
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsletters.models import NewsletterPage, Send
    from tests.services import CeleryWorker

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = "bench_send"
CEILING_SAMPLE = 5000


def prepare_database() -> str:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return f"{PG}/{DATABASE}"


def setup_django(database_url: str, smtp_port: int) -> None:
    """Configure Django for this process; the broker is set on the Celery app once known."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL="redis://127.0.0.1:1/0",
        SMTP_PORT=str(smtp_port),
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def create_subscribers(count: int) -> None:
    """COPY ``count`` confirmed subscribers of the "actualites" topic (seconds for 100,000)."""
    from django.db import connection
    from django.utils import timezone

    from mailing.addresses import address_hash
    from subscriptions.models import Subscriber, Topic

    topic = Topic.objects.get(slug="actualites")
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE newsletters_delivery, newsletters_send CASCADE")
        cursor.execute("TRUNCATE newsletters_subscriber CASCADE")
    now = timezone.now().isoformat()
    rows = io.StringIO()
    for number in range(count):
        email = f"lecteur{number}@exemple.fr"
        rows.write(
            f"{uuid.uuid4()}\t{email}\t{address_hash(email)}\tconfirmed\tbench\t{now}\t{now}\n"
        )
    rows.seek(0)
    table = Subscriber._meta.db_table
    with connection.cursor() as cursor:
        with cursor.copy(
            f"COPY {table} (public_id, email, email_hash, status, source, created_at, "
            "confirmed_at) FROM STDIN"
        ) as copy:
            copy.write(rows.getvalue())
        cursor.execute(
            f"INSERT INTO {Subscriber.topics.through._meta.db_table} (subscriber_id, topic_id) "  # noqa: S608
            f"SELECT id, %s FROM {table}",
            [topic.pk],
        )
        cursor.execute(f"ANALYZE {table}")


def create_issue() -> NewsletterPage:
    """An issue of about 20 KB once rendered: headings, text and calls to action."""
    from wagtail.models import Site

    from newsletters.models import NewsletterIndexPage, NewsletterPage
    from subscriptions.models import Topic

    home = Site.objects.get(is_default_site=True).root_page
    index = NewsletterIndexPage.objects.first()
    if index is None:
        index = NewsletterIndexPage(title="Les lettres", slug="lettres")
        home.add_child(instance=index)
        index.save_revision().publish()
    paragraph = (
        "<p>Le Carburateur accueille cette saison de nouveaux résidents : ébénistes, "
        'couturières, torréfacteurs et développeuses. <a href="https://lecarburateur.fr/'
        'residents/">Découvrez-les</a> et venez les rencontrer lors des portes ouvertes, '
        "avec la Chambre de métiers et de l'artisanat.</p>"
    )
    body = []
    for section in range(6):
        body.append(
            {"type": "heading", "value": {"text": f"Rubrique {section + 1}", "level": "h2"}}
        )
        body.append({"type": "text", "value": paragraph * 3})
        body.append(
            {
                "type": "call_to_action",
                "value": {
                    "text": "En savoir plus",
                    "page": None,
                    "url": "https://lecarburateur.fr/agenda/",
                },
            }
        )
    page = NewsletterPage(
        title=f"Lettre de banc d'essai {uuid.uuid4().hex[:6]}",
        slug=f"banc-{uuid.uuid4().hex[:8]}",
        subject="Les nouvelles du Carburateur",
        preheader="Six rubriques pour mesurer l'envoi",
        topic=Topic.objects.get(slug="actualites"),
        body=json.dumps(body),
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def sink_count(path: Path) -> tuple[int, int]:
    try:
        messages, size = path.read_text().split()
        return int(messages), int(size)
    except (OSError, ValueError):
        return 0, 0


def run_size(count: int, worker: CeleryWorker, sink_file: Path) -> dict[str, float]:
    from newsletters import sending
    from newsletters.models import Send

    if worker.process is None:
        raise SystemExit("Le worker Celery n'est pas démarré.")
    worker_pid = worker.process.pid
    create_subscribers(count)
    page = create_issue()
    before, before_bytes = sink_count(sink_file)
    peak = 0
    started = time.perf_counter()
    send = sending.create_send(page, None)
    while True:
        if (
            time.perf_counter() - started > 60
            and Send.objects.get(pk=send.pk).status == "scheduled"
        ):
            raise SystemExit("L'envoi n'a pas commencé : le worker ne reçoit rien.")
        received, size = sink_count(sink_file)
        total = sum(rss_kib(pid) for pid in process_tree(worker_pid))
        peak = max(peak, total)
        if received - before >= count:
            break
        if time.perf_counter() - started > 1800:
            raise SystemExit(f"Délai dépassé : {received - before} / {count}")
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    hwm = sum(rss_kib(pid, "VmHWM") for pid in process_tree(worker_pid))
    deadline = time.monotonic() + 30
    while Send.objects.get(pk=send.pk).status != "done" and time.monotonic() < deadline:
        time.sleep(0.2)
    progress = sending.progress(Send.objects.get(pk=send.pk))
    return {
        "count": count,
        "elapsed": elapsed,
        "rate": count / elapsed,
        "peak_rss_mib": max(peak, hwm) / 1024,
        "message_kib": (size - before_bytes) / max(received - before, 1) / 1024,
        "sent_rows": progress.sent,
        "ceiling": ceiling(send, min(count, CEILING_SAMPLE)),
    }


def ceiling(send: Send, sample: int) -> float:
    """A bare loop: the same rendered messages, Django's SMTP backend, one connection."""
    from django.core.mail import get_connection

    from newsletters.rendering import Personaliser, message_id
    from newsletters.sending import rendered_issue
    from subscriptions.models import Subscriber

    personaliser = Personaliser(rendered_issue(send))
    messages = [
        personaliser.build(email, public_id, message_id=message_id(send.pk, pk))
        for pk, email, public_id in Subscriber.objects.order_by("pk").values_list(
            "pk", "email", "public_id"
        )[:sample]
    ]
    connection = get_connection()
    connection.open()
    started = time.perf_counter()
    for message in messages:
        connection.send_messages([message])
    elapsed = time.perf_counter() - started
    connection.close()
    return sample / elapsed


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    # Stopped from outside: still stop every process started here (the finally below).
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    database_url = prepare_database()
    setup_django(database_url, smtp_port)
    from tests.services import CeleryWorker, RedisServer, port_open, wait_for

    workdir = Path(tempfile.mkdtemp(prefix="bench-send-"))
    redis = RedisServer(workdir)
    redis.start()
    sink_file = workdir / "sink-count"
    sink = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "bench.sink", str(smtp_port), str(sink_file)], cwd=REPO
    )
    worker = None
    try:
        wait_for(lambda: port_open(smtp_port), "le puits SMTP", timeout=20)
        from config.celery import app

        # Celery reads CELERY_BROKER_URL from the environment before its configuration.
        os.environ["CELERY_BROKER_URL"] = redis.url
        app.conf.update(broker_url=redis.url, task_always_eager=False)
        # Celery's private pools (absent from celery-types), built for the old broker URL.
        app._pool = None  # type: ignore[attr-defined]
        app.amqp._producer_pool = None  # type: ignore[attr-defined]
        worker = CeleryWorker(
            broker_url=redis.url,
            database_url=database_url,
            smtp_port=smtp_port,
            directory=workdir,
            concurrency=2,
            beat=False,
        )
        worker.env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        worker.start()
        results = []
        for size in sizes:
            print(f"… {size} abonné·es", flush=True)
            results.append(run_size(size, worker, sink_file))
        report(results)
    finally:
        if worker is not None:
            worker.stop()
        sink.terminate()
        sink.wait(timeout=10)
        redis.stop()


def report(results: list[dict[str, float]]) -> None:
    print()
    print(
        f"{'abonnés':>8} | {'durée':>8} | {'bout en bout':>13} | {'boucle nue':>11} | "
        f"{'ratio':>5} | {'RSS max workers':>15} | {'taille':>7} | {'lignes envoyées':>15}"
    )
    print("-" * 104)
    for r in results:
        print(
            f"{r['count']:>8} | {r['elapsed']:>7.1f}s | {r['rate']:>9.0f} m/s | "
            f"{r['ceiling']:>7.0f} m/s | {r['rate'] / r['ceiling']:>5.2f} | "
            f"{r['peak_rss_mib']:>12.0f} MiB | {r['message_kib']:>4.1f} Ko | {r['sent_rows']:>15}"
        )
    print()
    for r in results:
        verdict = "atteint" if r["rate"] / r["ceiling"] >= 0.8 else "MANQUÉ"
        print(f"Objectif ratio ≥ 0,8 ({r['count']}) : {verdict}")
    big = next((r for r in results if r["count"] >= 100_000), None)
    small = next((r for r in results if r["count"] < 100_000), None)
    if big:
        verdict = "atteint" if big["elapsed"] < 300 else "MANQUÉ"
        print(f"Objectif 100 000 en moins de 5 min ({big['elapsed']:.0f} s) : {verdict}")
    if big and small:
        growth = big["peak_rss_mib"] / small["peak_rss_mib"] - 1
        verdict = "atteint" if growth <= 0.10 else "MANQUÉ"
        print(f"Objectif mémoire à 100 000 ≤ 10 % au-dessus de 10 000 ({growth:+.1%}) : {verdict}")


if __name__ == "__main__":
    main()
