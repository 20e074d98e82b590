"""Real services for the tests marked ``services``: Redis, a Celery worker, an SMTP sink.

Everything listens on loopback, is started by a fixture and stopped when the test ends:
a private redis-server on a free port (never the shared 6379), ``celery worker`` subprocesses
and an aiosmtpd server in this process whose answers a test can script.

The worker is another process, so it must see the test's data: ``worker_database`` gives the
test a fresh copy of the migrated test database (pytest-django's SQLite one lives in memory,
invisible to other processes) and points the default connection at it until the test ends.
Tests that use a worker run with ``transaction=True`` so that what they write is committed.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from aiosmtpd.controller import Controller

from django.db import connections
from django.db.utils import ConnectionHandler

from config.celery import app as celery_app
from config.settings.env import database_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 90.0


class ServiceError(RuntimeError):
    """A service did not start or stop in time; the message says which and why."""


def wait_for(condition: Callable[[], Any], what: str, timeout: float = DEADLINE) -> Any:
    """Poll ``condition`` until it returns something truthy, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.1)
    pytest.fail(f"Délai dépassé en attendant : {what}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class RedisServer:
    """A private redis-server on loopback that the test can stop and start again."""

    def __init__(self, directory: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServiceError("redis-server est introuvable : installez-le (paquet redis-server).")
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return self.url_for(0)

    def url_for(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), "le démarrage de redis-server", timeout=20)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None
        wait_for(lambda: not port_open(self.port), "l'arrêt de redis-server", timeout=20)

    @contextmanager
    def running(self) -> Iterator[RedisServer]:
        self.start()
        try:
            yield self
        finally:
            if self.process is not None:
                self.stop()


class SmtpInbox:
    """aiosmtpd handler that keeps every message it accepts.

    ``refuse`` may answer a recipient (RCPT) or a message (DATA) with an error instead: it is
    called with ``(stage, address, attempt)`` and returns an SMTP reply or None to accept.
    ``hold_at`` makes the n-th message, and every one after it, wait before it is accepted
    until ``release(accept=…)``. A test that kills the sending worker meanwhile releases with
    ``accept=False``: those messages are refused, as a real server whose client vanished
    before the 250 would not have taken them.
    """

    port: int  # set by smtp_server()

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()
        self.refuse: Callable[[str, str, int], str | None] | None = None
        self.attempts: dict[tuple[str, str], int] = {}
        self.hold_at: int | None = None
        self.held = threading.Event()
        #: How many messages wait, held: one per sending process once they all are.
        self.held_count = 0
        self._released = threading.Event()
        self._accept_held = True
        self._seen = 0

    def release(self, *, accept: bool = True) -> None:
        """Let the held messages go (accepted or refused); later ones are not held."""
        with self.lock:
            self.hold_at = None
            self._accept_held = accept
        self._released.set()

    def _answer(self, stage: str, address: str) -> str | None:
        if self.refuse is None:
            return None
        with self.lock:
            attempt = self.attempts[(stage, address)] = self.attempts.get((stage, address), 0) + 1
        return self.refuse(stage, address, attempt)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        answer = self._answer("rcpt", address)
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = self._answer("data", envelope.rcpt_tos[0])
        if answer:
            return answer
        with self.lock:
            self._seen += 1
            hold = self.hold_at is not None and self._seen >= self.hold_at
        if hold:
            with self.lock:
                self.held_count += 1
            self.held.set()
            while not self._released.is_set():
                await asyncio.sleep(0.05)
            if not self._accept_held:
                return "451 4.4.2 connection lost before acceptance"
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        with self.lock:
            return [message["To"] for message in self.messages]


def text_body(message: Message) -> str:
    """The decoded text/plain part of ``message``."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"Aucune partie texte dans le courriel « {message['Subject']} »")


def _connection_to(original: Any, name: str) -> Any:
    """A new default connection like ``original`` but to the database ``name``."""
    config = original.settings_dict
    options = dict(config.get("OPTIONS", {}))
    if original.vendor == "sqlite":
        options["timeout"] = 30  # two worker processes and the test write to one file
        # The test's transactions take the write lock when they begin, and so wait for the
        # workers' writes to end: a deferred one that read before a worker's commit and then
        # writes fails at once ("database is locked"), whatever the timeout.
        options["transaction_mode"] = "IMMEDIATE"
    return original.__class__(
        {**config, "NAME": name, "TEST": {**config["TEST"], "NAME": name}, "OPTIONS": options},
        alias="default",
    )


def database_url(connection: Any) -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    user = config["USER"] or "postgres"
    password = f":{config['PASSWORD']}" if config["PASSWORD"] else ""
    host, port = config["HOST"] or "127.0.0.1", config["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{config['NAME']}"


def _pristine_copy(original: Any, pristine: str, tmp_path: Path) -> str:
    """A new database with the pristine test database's content; returns its name."""
    if original.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        shutil.copyfile(pristine, path)
        return str(path)
    name = f"{pristine}_{uuid.uuid4().hex[:8]}"
    with original._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pristine}"')
    return name


def _drop_copy(original: Any, name: str) -> None:
    if original.vendor == "postgresql":
        with original._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class CeleryWorker:
    """``celery -A config worker`` against our Redis, database and SMTP server."""

    def __init__(
        self,
        *,
        broker_url: str,
        database_url: str,
        smtp_port: int,
        directory: Path,
        concurrency: int = 1,
        beat: bool = True,
        settings: dict[str, Any] | None = None,
    ) -> None:
        self.directory = directory
        self.concurrency = concurrency
        self.beat = beat
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.celery_worker_settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "SMTP_PORT": str(smtp_port),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(directory / "beat-schedule"),
            "WORKER_SETTINGS": json.dumps(settings or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        # Two workers of one test must not share a node name (Celery warns, control mixes up).
        self.name = uuid.uuid4().hex[:6]

    @property
    def log(self) -> Path:
        return self.directory / f"worker-{self.starts}.log"

    def start(self) -> None:
        self.starts += 1
        pool = ["--pool=solo"] if self.concurrency == 1 else ["--pool=prefork"]
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            *(["-B"] if self.beat else []),
            *pool,
            f"--concurrency={self.concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"test-{os.getpid()}-{self.name}-{self.starts}@localhost",
        ]
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(  # noqa: S603
                command,
                cwd=REPO_ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, to kill it with its children
            )
        process = self.process
        wait_for(
            lambda: process.poll() is not None or b"ready." in self.log.read_bytes(),
            "le démarrage du worker Celery",
        )
        if process.poll() is not None:
            pytest.fail(f"Le worker Celery s'est arrêté :\n{self.log.read_text()}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: no cleanup, no ack."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def _pristine_database(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any
) -> Iterator[str | None]:
    """A copy of the freshly migrated test database, taken before any test changes it.

    Each test that shares its database with a worker gets a new copy of it (a file copy on
    SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL): the data migrations' site, home
    page and topics are there, and migrating again is never needed. Only the tests that
    request it pay for the copy; tests/conftest.py runs them before any test that flushes
    the database, so that the copy is taken while the database is still as migrated.
    """
    connection = connections["default"]
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            path = tmp_path_factory.mktemp("db") / "pristine.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(path)
            connection.connection.backup(target)
            target.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
            target.close()
            yield str(path)
        elif connection.vendor == "postgresql":
            name = f"{connection.settings_dict['NAME']}_pristine"
            connection.close()  # a template database must have no other session
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cursor.execute(
                    f'CREATE DATABASE "{name}" TEMPLATE "{connection.settings_dict["NAME"]}"'
                )
            try:
                yield name
            finally:
                _drop_copy(connection, name)
        else:
            yield None


@pytest.fixture
def worker_database(
    django_db_blocker: Any, tmp_path: Path, _pristine_database: str | None
) -> Iterator[str]:
    """A fresh copy of the pristine database, which this test and its workers both use.

    A worker is another process: it must see the test's data, so the test runs with
    ``transaction=True`` and its default connection is pointed at the copy until it ends.
    """
    with _worker_copy(django_db_blocker, tmp_path, _pristine_database) as url:
        yield url


@contextmanager
def _worker_copy(django_db_blocker: Any, tmp_path: Path, pristine: str | None) -> Iterator[str]:
    original = connections["default"]
    if pristine is None:
        pytest.fail(f"Base de données non prise en charge par ce test : {original.vendor}")
    with django_db_blocker.unblock():
        name = _pristine_copy(original, pristine, tmp_path)
    try:
        with _default_connection(_connection_to(original, name)) as copy:
            yield database_url(copy)
    finally:
        with django_db_blocker.unblock():
            _drop_copy(original, name)


@contextmanager
def _default_connection(connection: Any) -> Iterator[Any]:
    """Make ``connection`` this process's default connection until the block ends."""
    original = connections["default"]
    connections["default"] = connection
    try:
        yield connection
    finally:
        connection.close()
        connections["default"] = original


@pytest.fixture
def postgres_worker_database(
    django_db_blocker: Any, tmp_path: Path, _pristine_database: str | None
) -> Iterator[str]:
    """Like ``worker_database``, but always on PostgreSQL, whatever the suite runs on.

    For the tests of what only PostgreSQL has (ending other sessions with
    ``pg_terminate_backend``): on a PostgreSQL run this is ``worker_database``'s copy; on a
    SQLite run it is a database of its own on the PostgreSQL server, migrated here, so that
    the test runs (and can fail) in both passes instead of being skipped in one.
    """
    original = connections["default"]
    if original.vendor == "postgresql":
        with _worker_copy(django_db_blocker, tmp_path, _pristine_database) as url:
            yield url
        return
    database = PostgresDatabase(f"test_workers_{os.getpid()}_{uuid.uuid4().hex[:8]}")
    database.create()
    try:
        # In another process: some migrations choose their SQL by the database in use when
        # they are imported, and this process has imported them for SQLite.
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=REPO_ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "DATABASE_URL": database.url,
            },
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if migrate.returncode != 0:
            pytest.fail(f"La migration de {database.name} a échoué :\n{migrate.stderr}")
        # A handler of its own fills in the defaults a connection needs, as settings would.
        config = database_settings(database.url, conn_max_age=0)
        with _default_connection(ConnectionHandler({"default": config})["default"]):
            yield database.url
    finally:
        database.drop()


@pytest.fixture
def smtp_inbox() -> Iterator[tuple[SmtpInbox, int]]:
    inbox = SmtpInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        inbox.release()
        controller.stop()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        if server.process is not None:
            server.stop()


@pytest.fixture
def worker_factory(
    redis_server: RedisServer,
    smtp_inbox: tuple[SmtpInbox, int],
    worker_database: str,
    tmp_path: Path,
) -> Iterator[Callable[..., CeleryWorker]]:
    """Start workers with ``worker_factory(concurrency=…, settings={…})``; all are stopped.

    Each worker has a folder of its own for its logs and its beat schedule file: two workers
    started with beat are two beat processes, as on two machines, not two writers of one file.
    """
    workers: list[CeleryWorker] = []

    def _start(**options: Any) -> CeleryWorker:
        directory = tmp_path / f"worker-{len(workers) + 1}"
        directory.mkdir()
        worker = CeleryWorker(
            broker_url=redis_server.url,
            database_url=worker_database,
            smtp_port=smtp_inbox[1],
            directory=directory,
            **options,
        )
        workers.append(worker)
        worker.start()
        return worker

    try:
        yield _start
    finally:
        for worker in workers:
            worker.stop()


@pytest.fixture
def celery_worker(worker_factory: Callable[..., CeleryWorker]) -> Path:
    """One solo worker with embedded beat; returns its log file."""
    return worker_factory().log


@pytest.fixture
def producer_on(redis_server: RedisServer) -> Iterator[None]:
    """Make this process publish to our Redis instead of running tasks eagerly."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "broker_url")}
    celery_app.conf.update(task_always_eager=False, broker_url=redis_server.url)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    try:
        yield
    finally:
        celery_app.pool.force_close_all()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        celery_app.conf.update(saved)


@contextmanager
def smtp_server() -> Iterator[SmtpInbox]:
    """An SMTP server on a free loopback port; ``inbox.port`` says which."""
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def postgres_server_url() -> str:
    """The PostgreSQL server to use: DATABASE_URL's when it names one, else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return parts._replace(path="").geturl()
    return "postgres://postgres@127.0.0.1:5432"


class PostgresDatabase:
    """A database of its own on the PostgreSQL server, created fresh and dropped after."""

    def __init__(self, name: str, server_url: str | None = None) -> None:
        self.name = name
        self.server_url = server_url or postgres_server_url()

    @property
    def url(self) -> str:
        return f"{self.server_url}/{self.name}"

    def _admin(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as connection:
            connection.execute(statement)

    def create(self, template: str | None = None) -> None:
        """Create the database, empty or as a copy of the database named ``template``."""
        self.drop()
        copy = f' TEMPLATE "{template}"' if template else ""
        self._admin(f'CREATE DATABASE "{self.name}"{copy}')

    def drop(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class HttpAnswer:
    """What a request to the stack got back."""

    def __init__(self, status: int, headers: Any, body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class ServedStack:
    """``make serve``'s processes (honcho and the Procfile) with production settings.

    ``env`` adds to or overrides the environment built here. Requests made through ``get``
    and ``post`` carry ``X-Forwarded-Proto: https``, as the reverse proxy in front of gunicorn
    would send them, so that secure cookies, HSTS and the CSRF origin check apply as in
    production.
    """

    def __init__(
        self,
        directory: Path,
        database_url: str,
        redis: RedisServer,
        smtp_port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.directory = directory
        self.port = free_port()
        self.log = directory / "stack.log"
        self.process: subprocess.Popen[bytes] | None = None
        bin_dir = str(Path(sys.executable).parent)
        self.env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "stack-test-only-" + "x" * 50,
            "NEWSLETTERS_HASH_KEY": "stack-test-only-hash-" + "y" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": redis.url_for(0),
            "CACHE_URL": redis.url_for(1),
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}" if smtp_port else "",
            "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{self.port}",
            "STATIC_ROOT": str(directory / "static"),
            "MEDIA_ROOT": str(directory / "media"),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(directory / "celerybeat-schedule"),
            "OPS_HEARTBEAT_SECONDS": "1",
            "OPS_HEARTBEAT_STALE_SECONDS": "5",
            "WEB_CONCURRENCY": "2",
            "CELERY_CONCURRENCY": "1",
            "PORT": str(self.port),
            **(env or {}),
        }
        # The shell's own variables must not leak into the stack (a .env is read anyway).
        self.env.pop("PYTEST_CURRENT_TEST", None)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, timeout: float = 300) -> str:
        """Run ``manage.py`` with the stack's environment; fail with its output if it fails."""
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=REPO_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            raise ServiceError(
                f"manage.py {' '.join(args)} a échoué ({result.returncode}) :\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result.stdout

    def prepare(self) -> None:
        """What ``make serve`` does before starting: preflight, migrate, collectstatic."""
        self.manage("preflight")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")

    def start(self) -> None:
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "honcho", "--procfile", "Procfile", "start"],
                cwd=REPO_ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, to stop everything it started
            )
        self.wait_ready()

    def wait_ready(self, timeout: float = DEADLINE) -> None:
        def ready() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise ServiceError(f"La pile s'est arrêtée :\n{self.log_tail()}")
            try:
                return self.get("/readyz", timeout=5).status == 200
            except OSError:
                return False

        try:
            wait_for(ready, "/readyz à 200", timeout=timeout)
        except ServiceError as error:
            raise ServiceError(f"{error}\n{self.log_tail()}") from None

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        # honcho waits for its children, but make sure none outlived it.
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def log_tail(self, lines: int = 60) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def request(
        self,
        method: str,
        path: str,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> HttpAnswer:
        request = urllib.request.Request(  # noqa: S310 -- always our loopback URL
            self.base_url + path,
            data=data,
            method=method,
            headers={"X-Forwarded-Proto": "https", **(headers or {})},
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=timeout) as response:
                return HttpAnswer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return HttpAnswer(error.code, error.headers, error.read())

    def get(self, path: str, **kwargs: Any) -> HttpAnswer:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: bytes, **kwargs: Any) -> HttpAnswer:
        return self.request("POST", path, data=data, **kwargs)

    @property
    def origin(self) -> str:
        """The origin a browser would send: the public HTTPS one, as the proxy serves it."""
        return f"https://127.0.0.1:{self.port}"


def signup_form(html: str, email: str) -> dict[str, str]:
    """Fill in the first newsletter sign-up form found in ``html``, as a visitor would.

    Hidden fields (CSRF token, consent wording version, source) are kept as served, the first
    topic and the consent box are ticked, the honeypot is left empty.
    """
    from bs4 import BeautifulSoup

    form = BeautifulSoup(html, "html.parser").select_one("form.newsletter-signup")
    if form is None:
        raise AssertionError("Aucun formulaire d'inscription sur la page.")
    data: dict[str, str] = {}
    for field in form.select("input"):
        name, kind = field.get("name"), field.get("type", "text")
        if not name or name in data:
            continue
        if kind == "hidden":
            data[name] = str(field.get("value", ""))
        elif kind == "checkbox":
            data[name] = str(field.get("value", "on"))
        elif kind == "email":
            data[name] = email
        else:
            data[name] = ""
    return data


def form_fields(html: str, selector: str) -> dict[str, str]:
    """What a browser would submit from the form ``selector`` in ``html`` if nothing changed.

    Inputs with their values (checkboxes and radios only when checked), each select's
    selected option (or its first), textareas' text. Buttons are left out: add the one pressed.
    """
    from bs4 import BeautifulSoup

    form = BeautifulSoup(html, "html.parser").select_one(selector)
    if form is None:
        raise AssertionError(f"Aucun formulaire « {selector} » sur la page.")
    data: dict[str, str] = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name = str(field["name"])
        kind = field.get("type", "text")
        if field.name == "select":
            option = field.select_one("option[selected]") or field.select_one("option")
            data[name] = str(option.get("value", option.text)) if option else ""
        elif field.name == "textarea":
            data[name] = field.text
        elif kind in {"checkbox", "radio"}:
            if field.has_attr("checked"):
                data[name] = str(field.get("value", "on"))
        elif kind not in {"submit", "button", "image", "file"}:
            data[name] = str(field.get("value", ""))
    return data


class StackSession:
    """A browser's session with the stack: its cookies, and the CSRF token on every POST.

    The stack's cookies are ``Secure`` while the test talks plain HTTP to gunicorn (TLS ends
    at the proxy), so ``http.cookiejar`` would never send them back: they are kept here. POSTs
    carry the Origin and Referer a browser sends from the stack's public origin.
    """

    def __init__(self, stack: ServedStack) -> None:
        self.stack = stack
        self.cookies: dict[str, str] = {}

    def _keep_cookies(self, answer: HttpAnswer) -> HttpAnswer:
        for header in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in {"", '""'} or "max-age=0" in header.lower():
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return answer

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        return headers

    def get(self, path: str) -> HttpAnswer:
        return self._keep_cookies(self.stack.get(path, headers=self._headers()))

    def post(self, path: str, data: dict[str, str]) -> HttpAnswer:
        """POST ``data`` as a form, with the CSRF token of the session's cookie if none."""
        if "csrftoken" in self.cookies:
            data = {"csrfmiddlewaretoken": self.cookies["csrftoken"], **data}
        headers = self._headers(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.stack.origin,
                "Referer": self.stack.origin + path,
            }
        )
        answer = self.stack.post(path, urlencode(data).encode(), headers=headers)
        return self._keep_cookies(answer)

    def log_in(self, username: str, password: str) -> None:
        """Sign in to the Wagtail admin through its login form."""
        page = self.get("/admin/login/")
        data = form_fields(page.text, "form[action*='login']")
        answer = self.post("/admin/login/", {**data, "username": username, "password": password})
        assert answer.status == 302, f"Connexion de {username} refusée ({answer.status})"
        assert "sessionid" in self.cookies
