"""``make bench-send``: how fast a newsletter goes out, against the machine's own limit.

Real services, all on loopback and started here: PostgreSQL (its own database, ``bench_send``
or ``$BENCH_DATABASE``, dropped and created again), a redis-server of its own on a free port,
Postfix's ``smtp-sink`` (C, fast enough never to be the bottleneck; its count is checked
exact before anything is measured) and a Celery worker with concurrency 2.

For each size (10,000 and 100,000 confirmed subscribers by default) it first measures the
ceiling: as many processes as the worker has, each sending its share of pre-built messages
(``Personaliser.build``, Django's SMTP backend, one connection each) to the same sink; and,
for information, the same messages pre-serialised to bytes and sent with ``smtplib`` (what
Django's serialisation costs). Then it times a send from the "Envoyer" call to the last
message counted at the sink, samples the worker processes' memory, and checks that the sink
received exactly one message per recipient. Usage::

    python bench/send.py [10000 100000]

``BENCH_CEILING_SAMPLE`` sets how many messages the ceiling sends (5,000); with
``BENCH_SCREENSHOT=path.png``, the admin is served during the largest send and its progress
page, opened in Chromium, is saved once it shows a rate and a time left.
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import signal
import smtplib
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.core.mail import EmailMessage

    from bench.sink import SmtpSink
    from newsletters.models import NewsletterPage
    from tests.services import CeleryWorker

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DATABASE", "bench_send")
CEILING_SAMPLE = int(os.environ.get("BENCH_CEILING_SAMPLE", "5000"))
SCREENSHOT = os.environ.get("BENCH_SCREENSHOT", "")
CONCURRENCY = 2  # the worker's pool, and so the number of processes of the ceiling


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


# --- The ceiling ----------------------------------------------------------------------------


def ceiling_messages(page: NewsletterPage, sample: int) -> list[EmailMessage]:
    """``sample`` messages of the issue, built as the worker builds them, to the first rows."""
    from django.utils import timezone

    from newsletters.models import Send
    from newsletters.rendering import Personaliser, message_id
    from newsletters.sending import rendered_issue
    from subscriptions.models import Subscriber

    # An unsaved send of the live revision: rendered the way the worker renders a send,
    # without starting one.
    send = Send(
        page=page,
        revision=page.live_revision,
        topic=page.topic,
        subject=page.subject,
        created_at=timezone.now(),
    )
    personaliser = Personaliser(rendered_issue(send))
    return [
        personaliser.build(email, public_id, message_id=message_id(0, pk))
        for pk, email, public_id in Subscriber.objects.order_by("pk").values_list(
            "pk", "email", "public_id"
        )[:sample]
    ]


def _send_share(
    messages: list[Any], raw: bool, port: int, go: Any, results: Any, index: int
) -> None:
    """One process of the ceiling: connect, wait for the others, send its share, report."""
    if raw:
        client = smtplib.SMTP("127.0.0.1", port)
        go.wait()
        for sender, recipients, data in messages:
            client.sendmail(sender, recipients, data)
        results.put((index, time.perf_counter()))
        client.quit()
        return
    from django.core.mail import get_connection

    connection = get_connection()
    connection.open()
    go.wait()
    for message in messages:
        connection.send_messages([message])
    results.put((index, time.perf_counter()))
    connection.close()


def parallel_rate(messages: list[Any], *, raw: bool, port: int) -> float:
    """Messages a second when CONCURRENCY forked processes share ``messages`` out."""
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's database socket
    context = multiprocessing.get_context("fork")
    go, results = context.Event(), context.Queue()
    processes = [
        context.Process(
            target=_send_share,
            args=(messages[index::CONCURRENCY], raw, port, go, results, index),
        )
        for index in range(CONCURRENCY)
    ]
    for process in processes:
        process.start()
    time.sleep(0.5)  # every process connected and waiting: the timing starts at "go"
    started = time.perf_counter()
    go.set()
    finished = [results.get(timeout=600)[1] for _process in processes]
    for process in processes:
        process.join(timeout=60)
        if process.exitcode != 0:
            raise SystemExit(f"Un processus du plafond a échoué (code {process.exitcode}).")
    return len(messages) / (max(finished) - started)


def ceiling(page: NewsletterPage, count: int, sink: SmtpSink) -> dict[str, float]:
    """The ceiling with Django's backend, the raw smtplib one, and the mean message size."""
    messages = ceiling_messages(page, min(count, CEILING_SAMPLE))
    # Serialised as Django's SMTP backend does it (its MIME classes take ``linesep``).
    serialised = [
        (
            message.from_email,
            message.recipients(),
            message.message().as_bytes(linesep="\r\n"),  # type: ignore[call-arg]
        )
        for message in messages
    ]
    before = sink.count()
    rate = parallel_rate(messages, raw=False, port=sink.port)
    raw_rate = parallel_rate(serialised, raw=True, port=sink.port)
    expected = 2 * len(messages)
    wait_for_count(sink, before + expected, timeout=30)
    if sink.count() - before != expected:
        raise SystemExit(
            f"Le puits a compté {sink.count() - before} messages du plafond sur {expected}."
        )
    return {
        "ceiling": rate,
        "raw_ceiling": raw_rate,
        "message_kib": sum(len(data) for _s, _r, data in serialised) / len(serialised) / 1024,
    }


def wait_for_count(sink: SmtpSink, target: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while sink.count() < target and time.monotonic() < deadline:
        time.sleep(0.05)


# --- End to end -----------------------------------------------------------------------------


def run_size(
    count: int, worker: CeleryWorker, sink: SmtpSink, screenshot: str = ""
) -> dict[str, float]:
    from newsletters import sending
    from newsletters.models import Send

    if worker.process is None:
        raise SystemExit("Le worker Celery n'est pas démarré.")
    worker_pid = worker.process.pid
    create_subscribers(count)
    page = create_issue()
    result: dict[str, float] = {"count": count, **ceiling(page, count, sink)}
    before = sink.count()
    peak = 0
    started = time.perf_counter()
    send = sending.create_send(page, None)
    camera = ProgressScreenshot(send.pk, screenshot) if screenshot else None
    if camera:
        camera.start()
    while True:
        if (
            time.perf_counter() - started > 60
            and Send.objects.get(pk=send.pk).status == "scheduled"
        ):
            raise SystemExit("L'envoi n'a pas commencé : le worker ne reçoit rien.")
        received = sink.count() - before
        total = sum(rss_kib(pid) for pid in process_tree(worker_pid))
        peak = max(peak, total)
        if received >= count:
            break
        if time.perf_counter() - started > 1800:
            raise SystemExit(f"Délai dépassé : {received} / {count}")
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    hwm = sum(rss_kib(pid, "VmHWM") for pid in process_tree(worker_pid))
    deadline = time.monotonic() + 30
    while Send.objects.get(pk=send.pk).status != "done" and time.monotonic() < deadline:
        time.sleep(0.2)
    if camera:
        camera.join()
        print(f"Capture de la page de suivi : {camera.outcome}", flush=True)
    # The send is over: anything the sink counts beyond ``count`` now is a duplicate.
    time.sleep(1)
    progress = sending.progress(Send.objects.get(pk=send.pk))
    result.update(
        elapsed=elapsed,
        rate=count / elapsed,
        peak_rss_mib=max(peak, hwm) / 1024,
        sent_rows=progress.sent,
        counted=sink.count() - before,
    )
    return result


# --- The progress page, photographed during a send -------------------------------------------

# True once the progress block was refreshed in place (the "Envoyés" count moved without a
# page load) and shows a rate above zero and a time left, the send at least 5 % done.
LIVE_PROGRESS = """(initialSent) => {
  const bar = document.querySelector('#send-progress progress');
  if (!bar || bar.value < 5) { return false; }
  const cells = {};
  for (const row of document.querySelectorAll('#send-progress tr')) {
    cells[row.querySelector('th').textContent.trim()] = row.querySelector('td').textContent.trim();
  }
  const rate = parseFloat((cells['Débit'] || '0').replace(',', '.'));
  const left = cells['Temps restant estimé'] || '—';
  return cells['Envoyés'] !== initialSent && rate > 0 && left !== '—';
}"""


class ProgressScreenshot(threading.Thread):
    """Serve the admin here, open the send's progress page in Chromium, save a screenshot.

    A threaded WSGI server in this process (static files through Django's finders) and a
    superuser made for the bench; Debian's Chromium through the browser tests' launcher.
    """

    def __init__(self, send_id: int, path: str) -> None:
        super().__init__(name="progress-screenshot")
        self.send_id = send_id
        self.path = Path(path).resolve()
        self.outcome = "pas encore prise"

    def run(self) -> None:
        try:
            self.outcome = self.take()
        except Exception as error:  # reported in the table's notes, never stops the bench
            self.outcome = f"échec : {error!r}"
        finally:
            from django.db import connection

            connection.close()

    def take(self) -> str:
        from playwright.sync_api import Error as PlaywrightError

        from tests.browser.harness import launch_chromium

        # Before Playwright: its sync API runs an event loop, where Django refuses queries.
        cookie = session_cookie()
        with admin_server() as base_url, contextlib.contextmanager(launch_chromium)() as browser:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
            context.add_cookies([{**cookie, "url": base_url}])
            page = context.new_page()
            page.goto(f"{base_url}/admin/newsletters/send/{self.send_id}/")
            initial = page.locator("#send-progress tr", has_text="Envoyés").locator("td")
            try:
                page.wait_for_function(
                    LIVE_PROGRESS, arg=initial.inner_text().strip(), timeout=180_000
                )
            except PlaywrightError:
                page.screenshot(path=str(self.path), full_page=True)
                return f"sans débit ni temps restant au bout de 3 min ({self.path})"
            page.screenshot(path=str(self.path), full_page=True)
            context.close()
        return f"enregistrée : {self.path}"


def session_cookie() -> dict[str, str]:
    """The session cookie of a superuser made for the bench, logged in without a form."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _created = get_user_model().objects.get_or_create(
        username="banc-essai",
        defaults={"is_superuser": True, "is_staff": True, "email": "banc@lecarburateur.fr"},
    )
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return {"name": name, "value": client.cookies[name].value}


@contextlib.contextmanager
def admin_server() -> Iterator[str]:
    """The site on a free loopback port, one thread a request, for as long as the block runs."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    class ThreadingServer(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = make_server(
        "127.0.0.1",
        0,
        StaticFilesHandler(get_wsgi_application()),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, name="admin-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


# --- The run ---------------------------------------------------------------------------------


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    # Stopped from outside: still stop every process started here (the finally below).
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))
    database_url = prepare_database()
    from tests.services import free_port

    smtp_port = free_port()
    setup_django(database_url, smtp_port)
    from bench.sink import SmtpSink
    from tests.services import CeleryWorker, RedisServer

    workdir = Path(tempfile.mkdtemp(prefix="bench-send-"))
    redis = RedisServer(workdir)
    redis.start()
    sink = SmtpSink(workdir, smtp_port)
    worker = None
    try:
        sink.start()
        sink.self_check()
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
            concurrency=CONCURRENCY,
            beat=False,
        )
        worker.env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        worker.start()
        results = []
        for size in sizes:
            print(f"… {size} abonné·es", flush=True)
            screenshot = SCREENSHOT if size == max(sizes) else ""
            results.append(run_size(size, worker, sink, screenshot))
        exact = report(results)
    finally:
        if worker is not None:
            worker.stop()
        sink.stop()
        redis.stop()
    if not exact:
        sys.exit(1)


def report(results: list[dict[str, Any]]) -> bool:
    """Print the table and the goals; False when the sink did not count one per recipient."""
    print()
    print(
        f"{'abonnés':>8} | {'durée':>7} | {'bout en bout':>12} | {'plafond':>9} | "
        f"{'ratio':>5} | {'brut':>9} | {'RSS max workers':>15} | {'taille':>7} | "
        f"{'lignes envoyées':>15} | {'reçus au puits':>14}"
    )
    print("-" * 132)
    for r in results:
        print(
            f"{r['count']:>8} | {r['elapsed']:>6.1f}s | {r['rate']:>8.0f} m/s | "
            f"{r['ceiling']:>5.0f} m/s | {r['rate'] / r['ceiling']:>5.2f} | "
            f"{r['raw_ceiling']:>5.0f} m/s | {r['peak_rss_mib']:>11.0f} MiB | "
            f"{r['message_kib']:>4.1f} Ko | {r['sent_rows']:>15} | {r['counted']:>14}"
        )
    print(
        f"plafond : {CONCURRENCY} processus, backend SMTP de Django, messages construits "
        f"d'avance ({CEILING_SAMPLE} au plus) ; brut : les mêmes en octets avec smtplib."
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
    exact = True
    for r in results:
        if r["counted"] != r["count"] or r["sent_rows"] != r["count"]:
            exact = False
            print(
                f"ERREUR ({r['count']}) : {r['counted']} reçus au puits, "
                f"{r['sent_rows']} lignes envoyées, pour {r['count']} destinataires."
            )
    return exact


if __name__ == "__main__":
    main()
