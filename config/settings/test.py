"""Test settings: fast hashing, tasks run in-process unless a test starts a real worker."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from .base import *  # noqa: F403
from .base import CACHES, RENDITIONS_CACHE_TIMEOUT, VAR_DIR, env_str

# The default SQLite database lives under var/ (git-ignored): a fresh checkout has none yet.
VAR_DIR.mkdir(exist_ok=True)

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
NEWSLETTERS_HASH_KEY = "test-only-hash-key"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="carburateur-media-"))
# The host Django's test client sends: every absolute URL a test reads says it.
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
# Large enough that the page cache's tag times are never culled (see pagecache.tags).
_LOCAL_CACHE: dict[str, Any] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "OPTIONS": {"MAX_ENTRIES": 100_000},
}
# Renditions in the same store, emptied with it before each test (tests/conftest.py).
CACHES = {
    **CACHES,
    "default": _LOCAL_CACHE,
    "renditions": {**_LOCAL_CACHE, "TIMEOUT": RENDITIONS_CACHE_TIMEOUT},
}
# Rate limits counted in this in-process cache are per process, as tests need (see base.py).
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001", "django_ratelimit.E003"]
# One process, one clock: a page rendered right after a change may be cached at once.
PAGECACHE_CLOCK_SKEW = 0.0
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="carburateur-static-"))
NEWSLETTERS_SEND_RATE = 0
# Renditions made ahead cost seconds of AVIF encoding per image saved or page published, a
# minute per load_demo: the tests about them turn it on (tests/home/test_renditions_ahead.py).
RENDITIONS_AHEAD = False
NEWSLETTERS_TEST_ADDRESSES = ["relecture@lecarburateur.fr"]
ANYMAIL = {"WEBHOOK_SECRET": "webhook:test-only-secret"}
NEWSLETTERS_ESP_WEBHOOKS = ["postmark"]
# Test clients log in without a request (client.login), which django-axes refuses; the
# lockout tests turn it back on.
AXES_ENABLED = False
