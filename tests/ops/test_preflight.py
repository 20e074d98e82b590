"""``manage.py preflight``: what ``make serve`` runs first, refusing to start in French."""

from __future__ import annotations

import io

import pytest

from django.core.management import call_command
from django.core.management.base import CommandError

from config.celery import app as celery_app
from tests.services import smtp_server

pytestmark = pytest.mark.django_db

CLOSED = "redis://127.0.0.1:1/0"


def preflight() -> str:
    out = io.StringIO()
    call_command("preflight", stdout=out)
    return out.getvalue()


def test_preflight__ready_when_every_service_answers() -> None:
    output = preflight()

    assert "ok : base de données" in output
    assert "ok : broker Celery" in output
    assert "ok : cache" in output
    assert "sans objet : serveur SMTP" in output
    assert "Prêt à démarrer." in output


def test_preflight__refuses_naming_unreachable_cache_and_broker(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CLOSED}
    }
    saved = celery_app.conf.broker_url
    celery_app.conf.broker_url = CLOSED
    try:
        with pytest.raises(CommandError) as refused:
            preflight()
    finally:
        celery_app.conf.broker_url = saved

    message = str(refused.value)
    assert message.startswith("Démarrage refusé :")
    assert "cache Redis injoignable (redis://127.0.0.1:1/0" in message
    assert "broker Celery injoignable (redis://127.0.0.1:1/0" in message
    assert "base de données" not in message


def smtp_settings(settings, port: int) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_SSL = False


def test_preflight__checks_the_smtp_server_when_email_goes_through_smtp(settings) -> None:  # type: ignore[no-untyped-def]
    with smtp_server() as inbox:
        smtp_settings(settings, inbox.port)
        assert "ok : serveur SMTP" in preflight()


def test_preflight__refuses_when_the_smtp_server_does_not_answer(settings) -> None:  # type: ignore[no-untyped-def]
    smtp_settings(settings, 1)

    with pytest.raises(CommandError, match=r"serveur SMTP injoignable \(127\.0\.0\.1:1"):
        preflight()


def test_preflight__refuses_webhooks_enabled_without_their_secret(settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEWSLETTERS_ESP_WEBHOOKS = ["postmark"]
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}

    with pytest.raises(CommandError) as refused:
        preflight()

    assert "NEWSLETTERS_ESP_WEBHOOKS" in str(refused.value)
    assert "ANYMAIL_WEBHOOK_SECRET" in str(refused.value)


def test_preflight__accepts_webhooks_with_their_secret(settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEWSLETTERS_ESP_WEBHOOKS = ["postmark"]

    assert "Prêt à démarrer." in preflight()


def test_preflight__refuses_without_a_newsletters_hash_key(settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEWSLETTERS_HASH_KEY = ""

    with pytest.raises(CommandError, match="NEWSLETTERS_HASH_KEY n'est pas défini"):
        preflight()


def test_preflight__refuses_a_site_url_wagtail_cannot_hold(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://lecarburateur.fr:8443"

    with pytest.raises(CommandError, match="SITE_URL : Wagtail sert en https sur le port 443"):
        preflight()
