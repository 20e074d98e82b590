"""Production settings pass ``check --deploy``; pages satisfy the CSP; admin logins throttle."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from django.core.management import call_command
from django.test import Client

from wagtail.models import Page

from tests.services import REPO_ROOT

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "deploy-check-" + "k" * 60,
    "NEWSLETTERS_HASH_KEY": "deploy-check-hash-" + "h" * 50,
    "SITE_URL": "https://lecarburateur.fr",
    "ALLOWED_HOSTS": "lecarburateur.fr",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/carburateur",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
}
REQUIRED = list(PRODUCTION_ENV)[1:]


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if key not in PRODUCTION_ENV}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env={**clean, "LOG_LEVEL": "WARNING", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy__clean_with_production_settings() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings__refuse_to_load_naming_every_missing_variable() -> None:
    result = manage("check", env={"DJANGO_SETTINGS_MODULE": "config.settings.production"})

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Variables d'environnement obligatoires en production manquantes" in result.stderr
    for name in REQUIRED:
        assert f"  - {name} : " in result.stderr


def test_production_settings__still_take_the_site_address_from_its_older_name() -> None:
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SITE_URL"}
    env["WAGTAILADMIN_BASE_URL"] = "https://lecarburateur.fr"

    result = manage("diffsettings", env=env)

    assert result.returncode == 0, result.stderr
    assert "SITE_URL = 'https://lecarburateur.fr'" in result.stdout


def test_check_deploy__refuses_a_newsletters_hash_key_equal_to_the_secret_key() -> None:
    env = {**PRODUCTION_ENV, "NEWSLETTERS_HASH_KEY": PRODUCTION_ENV["SECRET_KEY"]}

    result = manage("check", "--deploy", env=env)

    assert result.returncode == 1
    assert "newsletters.E002" in result.stderr


def test_production_settings__refuse_a_cache_that_is_not_redis() -> None:
    result = manage("check", env={**PRODUCTION_ENV, "CACHE_URL": "locmem://"})

    assert result.returncode == 1
    assert "CACHE_URL doit être une URL redis:// en production." in result.stderr


def test_production_settings__refuse_webhooks_without_their_secret() -> None:
    env = {**PRODUCTION_ENV, "NEWSLETTERS_ESP_WEBHOOKS": "postmark", "ANYMAIL_WEBHOOK_SECRET": ""}

    refused = manage("check", env=env)
    accepted = manage("check", env={**env, "ANYMAIL_WEBHOOK_SECRET": "webhook:s3cret"})

    assert refused.returncode == 1
    assert "ANYMAIL_WEBHOOK_SECRET est vide" in refused.stderr
    assert accepted.returncode == 0, accepted.stderr


DATA_BLOCK_TYPES = {"application/ld+json", "application/json"}


def inline_code(html: str) -> list[str]:
    """What the strict policy would block in a page: inline code and other hosts' files."""
    soup = BeautifulSoup(html, "html.parser")
    found = [f"<style> {tag}" for tag in soup.find_all("style")]
    # A data block (JSON-LD) is never run, so script-src does not apply to it; any other
    # inline <script> would be blocked.
    found += [
        f"<script> inline {tag}"
        for tag in soup.find_all("script")
        if not tag.get("src") and tag.get("type") not in DATA_BLOCK_TYPES
    ]
    for tag in soup.find_all(True):
        found += [f"{attr} on <{tag.name}>" for attr in tag.attrs if attr.startswith("on")]
        if tag.has_attr("style"):
            found.append(f"style on <{tag.name}>")
    # Files the browser fetches (a canonical or alternate <link> fetches nothing).
    fetched = [tag.get("src") for tag in soup.find_all(["script", "img", "iframe"])]
    fetched += [
        tag.get("href")
        for tag in soup.find_all("link")
        if set(tag.get("rel", [])) & {"stylesheet", "icon", "preload", "modulepreload"}
    ]
    found += [f"fichier d'un autre hôte : {url}" for url in fetched if url and urlsplit(url).netloc]
    return found


@pytest.mark.django_db
def test_csp__every_demo_page_satisfies_the_strict_policy(client: Client) -> None:
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    urls = [page.url for page in Page.objects.live().filter(depth__gt=1).specific()]
    urls += ["/newsletter/", "/recherche/?q=atelier", "/page-qui-n-existe-pas/"]
    assert len(urls) > 10

    for url in urls:
        answer = client.get(url)
        assert answer.status_code in {200, 404}, url
        policy = answer["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, url
        assert "frame-ancestors 'none'" in policy
        assert inline_code(answer.content.decode()) == [], url


def test_csp__the_public_policy_allows_only_the_site_itself(client: Client) -> None:
    policy = client.get("/healthz")["Content-Security-Policy"]
    directives = dict(part.split(" ", 1) for part in policy.split("; "))

    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["form-action"] == "'self'"


@pytest.mark.django_db
def test_csp__the_admin_gets_its_looser_policy_and_may_frame_its_preview(
    admin_client_logged: Client,
) -> None:
    policy = admin_client_logged.get("/admin/")["Content-Security-Policy"]

    assert "script-src 'self' 'unsafe-inline' 'unsafe-eval'" in policy
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert "frame-ancestors 'self'" in policy
    assert "nonce-" not in policy


@pytest.fixture
def axes_on(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True


@pytest.mark.django_db
def test_admin_login__fifth_failure_locks_that_account_from_that_address_in_french(
    axes_on: None, client: Client, django_user_model
) -> None:  # type: ignore[no-untyped-def]
    django_user_model.objects.create_user("camille", password="le-bon-mot-de-passe")
    failures = [
        client.post("/admin/login/", {"username": "camille", "password": "faux"}) for _ in range(5)
    ]

    assert [answer.status_code for answer in failures] == [200, 200, 200, 200, 429]
    page = failures[-1].content.decode()
    assert "Connexion temporairement bloquée" in page
    assert "réessayez dans 15 minutes" in page
    # Even the right password is refused while the lock lasts.
    right = client.post("/admin/login/", {"username": "camille", "password": "le-bon-mot-de-passe"})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_login__a_lock_does_not_block_another_account(
    axes_on: None, client: Client, django_user_model
) -> None:  # type: ignore[no-untyped-def]
    django_user_model.objects.create_superuser("dominique", password="correct-horse")
    for _ in range(5):
        client.post("/admin/login/", {"username": "intrus", "password": "faux"})

    answer = client.post("/admin/login/", {"username": "dominique", "password": "correct-horse"})

    assert answer.status_code == 302
    dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert 'name="username"' not in dashboard.content.decode()  # the dashboard, not the login


def test_inline_code__flags_what_the_strict_policy_would_block() -> None:
    html = (
        '<style>p{}</style><script>alert(1)</script><p style="color:red" onclick="x()">'
        '<link rel="stylesheet" href="https://cdn.example.com/a.css">'
        '<link rel="canonical" href="https://lecarburateur.fr/">'
        '<script src="/static/a.js"></script>'
    )

    assert len(inline_code(html)) == 5
