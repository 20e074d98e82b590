"""Local development: debug on, a throwaway secret, everything embedded."""

from __future__ import annotations

from .base import *  # noqa: F403
from .base import VAR_DIR, env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY") or "dev-only-not-secret-carburateur"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

for _folder in ("outbox", "broker/queue", "broker/processed", "broker/control", "media", "static"):
    (VAR_DIR / _folder).mkdir(parents=True, exist_ok=True)
