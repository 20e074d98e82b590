"""Settings for the site the browser tests serve in a subprocess.

Everything else comes from the environment the harness sets, the documented way (DATABASE_URL,
EMAIL_URL, MEDIA_ROOT, CELERY_TASK_ALWAYS_EAGER, …): the served site runs the production-shaped
base settings, with DEBUG off, rather than the in-process test settings.
"""

from __future__ import annotations

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "tests.browser.site_urls"
# Static files straight from site/static and the apps, without a collectstatic step.
WHITENOISE_USE_FINDERS = True
# Editors log in during the journeys; a fast hasher keeps that quick.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_TIMEOUT = 10
