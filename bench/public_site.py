"""The production stack with the demo on loopback, for `make lighthouse` and `make screenshots`.

What `make serve` runs, minus TLS and the Celery processes: ``config.settings.production``, a
PostgreSQL database of its own (created afresh: migrations, ``load_demo``, ``preflight``,
``collectstatic``), a Redis server of its own for the cache and the broker (the machine's is
never touched), and gunicorn with ``config/gunicorn.py``. The uploaded media, which a reverse
proxy serves in production, are served by ``bench.media_wsgi``. Tasks run eagerly.

Environment: SITE_CHECK_DATABASE (default carburateur_site_checks), BENCH_PG (server URL, default
postgres://postgres@127.0.0.1:5432), SITE_CHECK_PORT (default 8790).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bench.pages import GUNICORN, HOST, PG, PYTHON, fresh_database, run, start_server
from bench.site_pages import SitePage, load

if TYPE_CHECKING:
    from tests.services import RedisServer

DATABASE = os.environ.get("SITE_CHECK_DATABASE", "carburateur_site_checks")
PORT = int(os.environ.get("SITE_CHECK_PORT", "8790"))


@dataclass(frozen=True)
class ServedSite:
    url: str
    pages: list[SitePage]
    #: Page types with no live page in the demo: nothing measures them.
    missing: list[str]


def production_env(workdir: Path, redis: RedisServer, port: int = PORT) -> dict[str, str]:
    """The variables `make serve` reads, for this machine's loopback (plain HTTP)."""
    url = f"http://{HOST}:{port}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "site-checks-only-not-secret-" + "x" * 40,
        "NEWSLETTERS_HASH_KEY": "site-checks-only-hash-key-" + "y" * 40,
        "SITE_URL": url,
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": f"{PG}/{DATABASE}",
        "CELERY_BROKER_URL": redis.url_for(0),
        "CACHE_URL": redis.url_for(1),
        "CELERY_TASK_ALWAYS_EAGER": "1",
        # No proxy in front to end TLS: plain HTTP on loopback, nothing redirected.
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "EMAIL_URL": "",
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }


@contextmanager
def served(port: int = PORT) -> Iterator[ServedSite]:
    """Build the database and serve it; stop everything on the way out."""
    from tests.services import RedisServer

    workdir = Path(tempfile.mkdtemp(prefix="site-checks-"))
    with RedisServer(workdir).running() as redis:
        environ = production_env(workdir, redis, port)
        print(f"Base {DATABASE} : création, migrations, démo, fichiers statiques…", flush=True)
        fresh_database(environ, DATABASE)
        manage = [PYTHON, "manage.py"]
        run([*manage, "migrate", "--noinput"], environ)
        run([*manage, "load_demo"], environ)
        run([*manage, "preflight"], environ)  # as `make serve`: it sets the Site's host and port
        run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], environ)
        pages, missing = load(environ)
        command = [GUNICORN, "--config", "config/gunicorn.py", "bench.media_wsgi:application"]
        server = start_server(
            environ, workdir / "gunicorn.log", command, port=port, ready_path="/healthz"
        )
        try:
            yield ServedSite(f"http://{HOST}:{port}", pages, missing)
        finally:
            server.terminate()
            server.wait(timeout=30)
    # Kept when something failed: its gunicorn.log says why.
    shutil.rmtree(workdir, ignore_errors=True)
