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
