"""Configuration read from the environment (and ``.env`` when present) through django-environ.

The ``env_*`` helpers keep the settings' calls short and the rules they had before: an empty
integer means its default, list items are trimmed, strings are taken as they are.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import environ

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# EMAIL_URL schemes the README documents, in django-environ's spelling. Its own ``smtps``
# means STARTTLS; ours, as in curl and smtplib, means TLS from the first byte (port 465).
_EMAIL_SCHEMES = {"smtps": "smtp+ssl", "console": "consolemail", "locmem": "memorymail"}
_SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def load_dotenv_file() -> None:
    """Read ``BASE_DIR/.env`` into the environment, without overriding what is already set."""
    env_file = BASE_DIR / ".env"
    if env_file.exists():
        environ.Env.read_env(env_file, overwrite=False)


def env_str(name: str, default: str = "") -> str:
    # Read as is: django-environ takes a value starting with "$" for the name of another
    # variable, and a random secret may well start with "$".
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env.bool(name, default=default)


def env_int(name: str, default: int) -> int:
    return env.int(name, default=default) if env_str(name).strip() else default


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated variable as a list of trimmed, non-empty items."""
    items = env.get_value(name, cast=[str.strip], default=default, parse_default=True)
    return [item for item in items if item]


def database_settings(url: str, conn_max_age: int) -> dict[str, Any]:
    """Django's DATABASES entry for a ``DATABASE_URL``, connections checked before reuse."""
    return {
        **env.db_url_config(url),
        "CONN_MAX_AGE": conn_max_age,
        "CONN_HEALTH_CHECKS": True,
        "DISABLE_SERVER_SIDE_CURSORS": False,
    }


def require_all(variables: dict[str, str]) -> dict[str, str]:
    """Return every required variable, or stop start-up with one message naming all missing.

    ``variables`` maps each name to what it is for, so the message says what to set.
    """
    missing = [name for name in variables if not env_str(name).strip()]
    if missing:
        lines = "\n".join(f"  - {name} : {variables[name]}" for name in missing)
        raise ImproperlyConfigured(
            f"Variables d'environnement obligatoires en production manquantes :\n{lines}"
        )
    return {name: env_str(name).strip() for name in variables}


def email_settings(url: str, outbox: Path) -> dict[str, object]:
    """Translate ``EMAIL_URL`` into Django's EMAIL_* settings.

    An empty value means a file outbox (one ``.log`` file per sent batch) so that a local
    run never needs a mail server; ``smtp://user:pass@host:port`` (or ``smtp+tls://``,
    ``smtps://``) talks to a real relay; ``console://`` and ``locmem://`` are for debugging.
    """
    if not url or url.startswith("file:"):
        # Not django-environ's filemail://, which makes /srv/outbox the relative srv/outbox.
        path = urlsplit(url).path if url else ""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": Path(path) if path else outbox,
        }
    scheme, _, rest = url.partition(":")
    try:
        config = env.email_url_config(f"{_EMAIL_SCHEMES.get(scheme, scheme)}:{rest}")
    except ImproperlyConfigured:
        raise ImproperlyConfigured(f"EMAIL_URL non reconnue : {scheme}://…") from None
    if config["EMAIL_BACKEND"] != _SMTP_BACKEND:
        return {"EMAIL_BACKEND": config["EMAIL_BACKEND"]}
    implicit_tls = config.get("EMAIL_USE_SSL", False)
    # Options of the query string (?timeout=10) come as EMAIL_* keys too; OPTIONS is no setting.
    options = {
        key: value
        for key, value in config.items()
        if key.startswith("EMAIL_") and key != "EMAIL_FILE_PATH"
    }
    return {
        **options,
        "EMAIL_HOST": config["EMAIL_HOST"] or "127.0.0.1",
        "EMAIL_PORT": config["EMAIL_PORT"] or (465 if implicit_tls else 25),
        "EMAIL_HOST_USER": config["EMAIL_HOST_USER"] or "",
        "EMAIL_HOST_PASSWORD": config["EMAIL_HOST_PASSWORD"] or "",
        "EMAIL_USE_TLS": config.get("EMAIL_USE_TLS", False),
        "EMAIL_USE_SSL": implicit_tls,
    }
