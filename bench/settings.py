"""Settings for ``make bench-send``: production-like, with the benchmark's own services.

The benchmark passes its PostgreSQL database, Redis and SMTP sink through the environment.
"""

from __future__ import annotations

import os

from config.settings.base import *  # noqa: F403
from config.settings.env import database_settings

DEBUG = False
SECRET_KEY = "bench-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1"]
DATABASES = {"default": database_settings(os.environ["DATABASE_URL"], conn_max_age=600)}
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BEAT_SCHEDULE = {}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("SMTP_PORT", "25"))
EMAIL_TIMEOUT = 30
NEWSLETTERS_SEND_RATE = 0  # measure the engine, not the throttle
WAGTAILADMIN_BASE_URL = "https://lecarburateur.fr"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
