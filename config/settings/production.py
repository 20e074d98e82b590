"""Production: refuses to start without its secrets, hosts and services.

PostgreSQL from DATABASE_URL; Redis for the Celery broker and for the cache, which also holds
sessions and rate limits; static files hashed, compressed and served by whitenoise; media
on the filesystem; JSON log lines.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from ops.logs import logging_config

from .base import *  # noqa: F403
from .base import DATABASES
from .env import env_bool, env_int, env_list, env_str, require_all

_REQUIRED = {
    "SECRET_KEY": "la clé secrète de Django (longue et aléatoire)",
    "NEWSLETTERS_HASH_KEY": (
        "la clé des empreintes d'adresses (liste d'exclusion), longue, aléatoire, distincte "
        "de SECRET_KEY et à ne jamais changer"
    ),
}
if not env_str("WAGTAILADMIN_BASE_URL"):  # its older name still names it
    _REQUIRED["SITE_URL"] = "l'adresse publique du site, https://hôte"
REQUIRED = require_all(
    {
        **_REQUIRED,
        "ALLOWED_HOSTS": "les noms d'hôte servis, séparés par des virgules",
        "DATABASE_URL": "la base PostgreSQL, postgres://utilisateur@hôte:5432/base",
        "CELERY_BROKER_URL": "le broker Redis de Celery, redis://hôte:6379/0",
        "CACHE_URL": "le cache Redis (sessions, limites de débit), redis://hôte:6379/1",
    }
)
for _name in ("CELERY_BROKER_URL", "CACHE_URL"):
    if not REQUIRED[_name].startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"{_name} doit être une URL redis:// en production.")
if not REQUIRED["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL doit désigner une base PostgreSQL en production.")

if env_list("NEWSLETTERS_ESP_WEBHOOKS") and not env_str("ANYMAIL_WEBHOOK_SECRET"):
    # Without it every call would be refused (mailing.webhooks): say so before starting.
    raise ImproperlyConfigured(
        "NEWSLETTERS_ESP_WEBHOOKS nomme des services d'envoi mais ANYMAIL_WEBHOOK_SECRET est "
        "vide : définissez le secret (utilisateur:mot-de-passe) des webhooks."
    )

SECRET_KEY = REQUIRED["SECRET_KEY"]
# Each gunicorn and Celery process keeps its connection instead of opening one a request.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

# Sessions live in the Redis cache, backed by the database so a Redis restart logs no one out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- HTTPS. TLS ends at the reverse proxy in front of gunicorn, which must set
# X-Forwarded-Proto; health probes come over plain HTTP and are not redirected.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True

# --- Celery: logs go through Django's LOGGING (JSON lines), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

LOGGING = logging_config(env_str("LOG_LEVEL", "INFO"), env_str("LOG_FORMAT", "json") == "json")
# Celery says "Task … received" at INFO for every task, before its "succeeded" (or its error)
# line with the same id: a line per confirmation email that honcho and the log pipeline pay for
# and that tells nothing the outcome line does not (measured with `make bench-load`).
LOGGING["loggers"]["celery.worker.strategy"] = {"level": "WARNING"}
