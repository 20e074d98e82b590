"""gunicorn settings for ``make serve``, from the environment.

Binds to loopback unless BIND_ADDRESS says otherwise: a reverse proxy (TLS, X-Forwarded-*)
sits in front. One process per CPU (WEB_CONCURRENCY), each with a few threads (WEB_THREADS).
"""

from __future__ import annotations

import os

from ops.logs import logging_config


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = f"{os.environ.get('BIND_ADDRESS', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# One process per CPU, each serving WEB_THREADS requests at once (gthread): a request that waits
# on PostgreSQL, Redis or the broker leaves the CPU to another thread of the same process.
# Measured with `make bench-load` on 2 CPUs: 2 processes x 4 threads spent about 35% less CPU
# per sign-up POST and 20-25% less per cached page than the 5 sync workers of the usual
# 2 x CPUs + 1, which kept 5 processes (and their caches) switching on 2 CPUs and reopened a
# connection for every request (sync workers close it; gthread keeps it alive).
workers = int(os.environ.get("WEB_CONCURRENCY") or _cpu_count())
worker_class = "gthread"
threads = int(os.environ.get("WEB_THREADS") or 4)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Restart each worker now and then so that a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
# Only the proxy on this machine may say the request came over HTTPS.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
wsgi_app = "config.wsgi:application"
# gunicorn's own lines (start, worker boots and crashes) in the same JSON format as Django's;
# requests are logged once, by ops.middleware.RequestIdMiddleware, with their request id.
accesslog = None
logconfig_dict = {
    **logging_config(os.environ.get("LOG_LEVEL", "INFO"), json_lines=True),
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
    },
}

# Each worker renders a page of each type before it accepts a connection (ops.warmup): its
# first visitor then finds the templates compiled and the process's memos filled. Within a
# third of the timeout, telling the arbiter it is alive between two pages.
WARM_UP = os.environ.get("WEB_WARM_UP", "1") != "0"


def post_worker_init(worker: object) -> None:
    if not WARM_UP:
        return

    def go_on() -> bool:
        # Tells the arbiter the worker is alive (else a slow warm-up on a busy machine gets it
        # killed as stuck), and stops the warm-up once the worker is asked to exit.
        worker.notify()  # type: ignore[attr-defined]
        return bool(worker.alive)  # type: ignore[attr-defined]

    try:
        from gunicorn.workers.sync import SyncWorker  # type: ignore[import-untyped]

        from ops.warmup import warm_up_worker

        warm_up_worker(
            worker.wsgi,  # type: ignore[attr-defined]
            budget=worker.cfg.timeout / 3,  # type: ignore[attr-defined]
            threaded=not isinstance(worker, SyncWorker),
            go_on=go_on,
        )
    except Exception:  # a warm-up is only speed: the worker starts whatever happens
        worker.log.exception("Préchauffage du processus impossible.")  # type: ignore[attr-defined]
