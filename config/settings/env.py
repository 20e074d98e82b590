"""Small helpers that read configuration from the environment (and ``.env`` when present)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def load_dotenv_file() -> None:
    """Read ``BASE_DIR/.env`` into the environment, without overriding what is already set."""
    env_file = BASE_DIR / ".env"
    if env_file.exists():
        from dotenv import load_dotenv

        load_dotenv(env_file, override=False)


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def require_all(variables: dict[str, str]) -> dict[str, str]:
    """Return every required variable, or stop start-up with one message naming all missing.

    ``variables`` maps each name to what it is for, so the message says what to set.
    """
    missing = [name for name in variables if not os.environ.get(name, "").strip()]
    if missing:
        lines = "\n".join(f"  - {name} : {variables[name]}" for name in missing)
        raise ImproperlyConfigured(
            f"Variables d'environnement obligatoires en production manquantes :\n{lines}"
        )
    return {name: os.environ[name].strip() for name in variables}


def email_settings(url: str, outbox: Path) -> dict[str, object]:
    """Translate ``EMAIL_URL`` into Django's EMAIL_* settings.

    An empty value means a file outbox (one ``.log`` file per sent batch) so that a local
    run never needs a mail server; ``smtp://user:pass@host:port`` (or ``smtp+tls://``,
    ``smtps://``) talks to a real relay; ``console://`` and ``locmem://`` are for debugging.
    """
    if not url or url.startswith("file:"):
        path = urlsplit(url).path if url else ""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": Path(path) if path else outbox,
        }
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme in {"smtp", "smtp+tls", "smtps"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname or "127.0.0.1",
            "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": parts.scheme == "smtp+tls",
            "EMAIL_USE_SSL": parts.scheme == "smtps",
        }
    raise ImproperlyConfigured(f"EMAIL_URL non reconnue : {parts.scheme}://…")
