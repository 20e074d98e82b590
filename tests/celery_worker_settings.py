"""Settings for the real Celery workers that service tests (and the benchmark) start.

The caller passes the database it uses (a PostgreSQL database, or a SQLite file), its own
Redis and its own SMTP server through the environment, and any further settings as a JSON
object in ``WORKER_SETTINGS``.
"""

from __future__ import annotations

import json
import os

from config.settings.env import database_settings
from config.settings.test import *  # noqa: F403

DATABASES = {"default": database_settings(os.environ["DATABASE_URL"], conn_max_age=0)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Two worker processes and the test write to one file: wait for the lock, do not fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 30}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60}
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["SMTP_PORT"])
EMAIL_TIMEOUT = 10
# Beat drains the outbox every second so the test does not wait a minute.
CELERY_BEAT_SCHEDULE = {
    "newsletters-drain-outbox": {"task": "newsletters.tasks.drain_outbox", "schedule": 1.0}
}
CELERY_BEAT_SCHEDULE_FILENAME = os.environ["CELERY_BEAT_SCHEDULE_FILENAME"]
globals().update(json.loads(os.environ.get("WORKER_SETTINGS", "{}")))
