"""Settings read from the environment through django-environ, with the project's own rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from django.core.exceptions import ImproperlyConfigured

from config.settings.env import database_settings, email_settings, env_bool, env_int, env_list

OUTBOX = Path("var/outbox")


def test_email_settings__empty_means_the_file_outbox_and_file_urls_keep_absolute_paths() -> None:
    assert email_settings("", OUTBOX)["EMAIL_FILE_PATH"] == OUTBOX
    assert email_settings("file:///srv/outbox", OUTBOX)["EMAIL_FILE_PATH"] == Path("/srv/outbox")


def test_email_settings__smtps_is_tls_from_the_first_byte_on_port_465() -> None:
    config = email_settings("smtps://u%40x:p%3As@relay.example.org", OUTBOX)
    assert config["EMAIL_USE_SSL"] is True and config["EMAIL_USE_TLS"] is False
    assert config["EMAIL_PORT"] == 465
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == ("u@x", "p:s")


def test_email_settings__smtp_tls_is_starttls_and_console_needs_nothing_else() -> None:
    config = email_settings("smtp+tls://relay.example.org:587", OUTBOX)
    assert (config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"], config["EMAIL_PORT"]) == (
        True,
        False,
        587,
    )
    assert email_settings("console://", OUTBOX) == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_email_settings__an_unknown_scheme_stops_start_up_in_french() -> None:
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL non reconnue : pigeon://"):
        email_settings("pigeon://roof", OUTBOX)


def test_database_settings__sqlite_path_and_connection_reuse() -> None:
    config = database_settings("sqlite:////srv/db.sqlite3", conn_max_age=60)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/srv/db.sqlite3"
    assert (config["CONN_MAX_AGE"], config["CONN_HEALTH_CHECKS"]) == (60, True)


def test_env_helpers__empty_integers_default_lists_are_trimmed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CARBU_INT", "")
    monkeypatch.setenv("CARBU_LIST", " a.fr , b.fr ,, ")
    monkeypatch.setenv("CARBU_BOOL", "")
    assert env_int("CARBU_INT", 7) == 7
    assert env_list("CARBU_LIST") == ["a.fr", "b.fr"]
    assert env_list("CARBU_UNSET", "127.0.0.1,localhost") == ["127.0.0.1", "localhost"]
    assert env_bool("CARBU_BOOL", True) is False
    assert env_bool("CARBU_UNSET", True) is True
