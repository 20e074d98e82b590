"""Warm a fresh web process up before it takes its first visitor (issue 16, no cold first visit).

A new gunicorn worker would otherwise spend its first requests compiling templates, building
Django's form renderer and filling what each process keeps (routes, memos, the site's root
paths): a visitor then waited several times a page's usual time. ``warm_up`` does that work
first, from ``config/gunicorn.py``'s ``post_worker_init`` hook, before the worker accepts a
connection. It renders one live public page of each page type, and a 404, through the very
WSGI application the worker serves.

It is only ever speed: it never stops a worker from starting (each step logs what failed and
the next goes on), it refuses every SQL statement that would write and rolls each request back
(a page that would write, say to make a missing rendition, is left to its first visitor), it
stores nothing in the page cache (its requests carry a header the cache never stores for) and it
stops once its time is spent.
"""

from __future__ import annotations

import io
import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, connections, transaction
from django.http.request import split_domain_port, validate_host
from django.template import engines
from django.template.backends.django import DjangoTemplates

logger = logging.getLogger(__name__)

WSGIApplication = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: The address no page has: the 404 page is a page type too.
MISSING_PATH = "/__prechauffage-page-absente__/"
#: Template files the site's own directories hold (e-mails and pages alike).
TEMPLATE_SUFFIXES = (".html", ".txt", ".xml")
#: Statements a warm-up may run: reads, and the transaction and session plumbing around them.
READ_STATEMENTS = frozenset({"SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET", "SHOW"})


class WriteRefused(Exception):
    """A warm-up request tried to write to the database."""


@dataclass
class WarmUpReport:
    """What a warm-up did, for its log line and the tests."""

    templates: int = 0
    pages: list[tuple[str, int]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0


def refuse_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
) -> Any:
    """A database execute wrapper that lets only reads through."""
    words = sql.lstrip(" (").split(None, 1)
    if not words or words[0].upper() not in READ_STATEMENTS:
        raise WriteRefused(sql[:80])
    return execute(sql, params, many, context)


@contextmanager
def reads_only() -> Iterator[None]:
    """Every database connection of this thread refuses writes while the block runs."""
    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(refuse_writes))
        yield


def compile_templates(report: WarmUpReport, go_on: Callable[[], bool] = lambda: True) -> None:
    """Load every template of the site's own directories through the cached loader, so that a
    visitor never waits for one to be compiled; a broken one is logged and skipped. Stops when
    ``go_on()`` says so."""
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        for directory in engine.engine.dirs:
            root = Path(directory)
            for path in sorted(root.rglob("*")):
                if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                    continue
                if not go_on():
                    report.failures.append(f"temps écoulé avant {path.name}")
                    return
                name = path.relative_to(root).as_posix()
                try:
                    engine.get_template(name)
                except Exception as error:
                    report.failures.append(f"{name}: {error}")
                else:
                    report.templates += 1


def build_form_renderer() -> None:
    """Django's form renderer builds a template engine of its own on first use: build it now,
    and compile the templates of the widgets forms show."""
    from django import forms
    from django.forms.renderers import get_default_renderer

    class _Fields(forms.Form):
        text = forms.CharField(required=False)
        email = forms.EmailField(required=False)
        choice = forms.ChoiceField(required=False, choices=[("a", "a")])
        choices = forms.MultipleChoiceField(
            required=False, choices=[("a", "a")], widget=forms.CheckboxSelectMultiple
        )
        box = forms.BooleanField(required=False)
        hidden = forms.CharField(required=False, widget=forms.HiddenInput)

    _Fields(renderer=get_default_renderer()).render()


def warm_host() -> str:
    """The host a visitor names: SITE_URL's when this site serves it, else the first allowed."""
    candidates = [split_domain_port(str(getattr(settings, "SITE_URL", "")).split("//")[-1])[0]]
    candidates += [host for host in settings.ALLOWED_HOSTS if "*" not in host]
    for host in candidates:
        host = host.lstrip(".")
        if host and validate_host(host, settings.ALLOWED_HOSTS):
            return host
    return "localhost"


def sample_paths() -> list[str]:
    """One live public page of each page type under the default site (the shallowest), then a
    missing page."""
    from wagtail.models import Page, Site

    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return [MISSING_PATH]
    seen: dict[int, int] = {}
    pages = (
        Page.objects.live()
        .public()
        .descendant_of(site.root_page, inclusive=True)
        .order_by("path")
        .values_list("content_type_id", "pk")
    )
    for content_type_id, pk in pages:
        seen.setdefault(content_type_id, pk)
    paths = []
    for page in Page.objects.filter(pk__in=seen.values()).order_by("path").specific():
        url = page.get_url()
        if url and url.startswith("/"):
            paths.append(url)
    return [*paths, MISSING_PATH]


def get(application: WSGIApplication, path: str, host: str) -> int:
    """GET ``path`` through ``application`` as an anonymous visitor would; the status."""
    statuses: list[str] = []

    def start_response(status: str, headers: Any, exc_info: Any = None) -> Callable[..., Any]:
        statuses.append(status)
        return lambda data: None

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_ACCEPT": "text/html",
        # The page cache never stores a response to a request carrying credentials: what a
        # warm-up renders is never served to anyone.
        "HTTP_AUTHORIZATION": "Warm-up",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    response = application(environ, start_response)
    try:
        for _chunk in response:
            pass
    finally:
        close = getattr(response, "close", None)
        if close is not None:
            close()
    return int(statuses[0].split()[0]) if statuses else 0


@contextmanager
def connections_kept() -> Iterator[None]:
    """Django's handler closes a connection left outside autocommit at the start and end of a
    request: each warm-up request runs inside a transaction it rolls back, so that would close
    the connection under it ("the connection is closed" on PostgreSQL; an in-memory SQLite
    database ignores a close, which hid it). Django's test client leaves the connections alone
    the same way, for the same reason."""
    signals = (request_started, request_finished)
    disconnected = [signal for signal in signals if signal.disconnect(close_old_connections)]
    try:
        yield
    finally:
        for signal in disconnected:
            signal.connect(close_old_connections)


@contextmanager
def errors_noted() -> Iterator[list[BaseException]]:
    """The exceptions the requests of the block raised, in a list, instead of Django's "Internal
    Server Error" log records: a page a warm-up cannot render is its first visitor's to
    render, which is no server error."""
    raised: list[BaseException] = []

    def note(sender: Any, request: Any = None, **kwargs: Any) -> None:
        error = sys.exc_info()[1]
        if error is not None:
            raised.append(error)

    request_logger = logging.getLogger("django.request")
    was_disabled = request_logger.disabled
    got_request_exception.connect(note, dispatch_uid="ops_warmup_errors")
    request_logger.disabled = True
    try:
        yield raised
    finally:
        request_logger.disabled = was_disabled
        got_request_exception.disconnect(dispatch_uid="ops_warmup_errors")


def render_pages(
    application: WSGIApplication,
    report: WarmUpReport,
    deadline: float,
    paths: Iterable[str] | None = None,
    go_on: Callable[[], bool] = lambda: True,
) -> None:
    """Render each of ``paths`` (by default ``sample_paths()``) once, reads only, until
    ``deadline`` (``time.monotonic``) or until ``go_on()`` says to stop."""
    host = warm_host()
    with reads_only(), connections_kept(), errors_noted() as raised:
        for path in sample_paths() if paths is None else paths:
            if time.monotonic() >= deadline or not go_on():
                report.failures.append(f"temps écoulé avant {path}")
                break
            raised.clear()
            try:
                # Rolled back whatever happens: no write gets through, and none refused leaves
                # a transaction the caller (a test) cannot use.
                with transaction.atomic():
                    status = get(application, path, host)
                    transaction.set_rollback(True)
            except Exception as error:
                report.failures.append(f"{path}: {error!r}")
            else:
                report.pages.append((path, status))
                if status >= 500:
                    why = f" ({raised[-1]!r})" if raised else ""
                    report.failures.append(f"{path}: statut {status}{why}")


def warm_up(
    application: WSGIApplication,
    budget: float = 10.0,
    go_on: Callable[[], bool] = lambda: True,
) -> WarmUpReport:
    """Compile the templates, build the form renderer and render a page of each type, within
    ``budget`` seconds and while ``go_on()`` (called between two templates or pages) says so;
    never raises, logs one line (and one per failure)."""
    started = time.monotonic()
    report = WarmUpReport()

    def in_time() -> bool:
        return go_on() and time.monotonic() < started + budget

    steps: list[tuple[str, Callable[[], None]]] = [
        ("gabarits", lambda: compile_templates(report, in_time)),
        ("formulaires", build_form_renderer),
        ("pages", lambda: render_pages(application, report, started + budget, go_on=go_on)),
    ]
    for name, step in steps:
        try:
            step()
        except Exception as error:
            report.failures.append(f"{name}: {error!r}")
    report.seconds = time.monotonic() - started
    for failure in report.failures:
        logger.warning("Préchauffage : %s", failure)
    logger.info(
        "Préchauffage : %d gabarits, %d pages en %.2f s (%d échec(s)).",
        report.templates,
        len(report.pages),
        report.seconds,
        len(report.failures),
    )
    return report


def warm_paths(paths: Iterable[str], budget: float = 10.0) -> WarmUpReport:
    """Render ``paths`` in this process through Django's own handler, with the warm-up's rules
    (reads only, nothing stored in the page cache, never raises): what they store in the
    shared cache (fragments, renditions' URLs) then waits for their first visitor."""
    from django.core.handlers.wsgi import WSGIHandler

    started = time.monotonic()
    report = WarmUpReport()
    try:
        render_pages(WSGIHandler(), report, started + budget, paths)
    except Exception as error:
        report.failures.append(f"pages: {error!r}")
    report.seconds = time.monotonic() - started
    for failure in report.failures:
        logger.warning("Préchauffage : %s", failure)
    return report


def warm_up_worker(
    application: WSGIApplication,
    budget: float,
    threaded: bool = True,
    go_on: Callable[[], bool] = lambda: True,
) -> None:
    """``warm_up`` in a fresh server process. A ``threaded`` worker answers from other threads:
    the database connections this one opened would sit idle, so they are closed; a worker that
    answers from this thread keeps them for its first visitor."""
    warm_up(application, budget, go_on)
    if not threaded:
        return
    try:
        connections.close_all()
    except Exception:
        logger.warning("Préchauffage : connexions non fermées.", exc_info=True)
