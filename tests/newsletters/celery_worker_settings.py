"""Settings for the real Celery worker that ``test_broker_outage`` starts as a subprocess.

The test passes the database it uses (a PostgreSQL test database, or a SQLite file), its own
Redis and its own SMTP server through the environment.
"""

from __future__ import annotations

import os

import dj_database_url

from config.settings.test import *  # noqa: F403

DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
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
