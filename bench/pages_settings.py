"""Settings for `make bench-pages`: the production stack on loopback.

What production changes that matters for speed is here: no debug, hashed and compressed static
files (whitenoise), Redis as the cache (CACHE_URL), persistent database connections
(CONN_MAX_AGE). The HTTPS-only flags (secure cookies, HSTS) change nothing on plain loopback
HTTP for anonymous pages. Set BENCH_SETTINGS=config.settings.production to run the benchmark
on the production module itself.
"""

from __future__ import annotations

from config.settings.base import *  # noqa: F403
from config.settings.base import env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
