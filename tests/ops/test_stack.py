"""The production stack as ``make serve`` runs it, over real HTTP, with real services.

gunicorn, a Celery worker and beat (under honcho, from the Procfile) with
``config.settings.production``, a PostgreSQL database and a redis-server of their own, and an
aiosmtpd server: see ``tests/ops/conftest.py``.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode, urlsplit

import pytest

from tests.services import (
    HttpAnswer,
    RedisServer,
    ServedStack,
    SmtpInbox,
    signup_form,
    text_body,
    wait_for,
)

pytestmark = pytest.mark.services


def test_stack__healthz_and_readyz_answer_200(stack: ServedStack) -> None:
    health = stack.get("/healthz")
    ready = stack.get("/readyz")

    assert health.status == 200
    assert health.json() == {"status": "ok"}
    assert ready.status == 200
    assert ready.json()["checks"] == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "beat": "ok",
    }


def test_stack__health_probes_over_plain_http_are_not_redirected(stack: ServedStack) -> None:
    # A load balancer probes gunicorn directly, without the proxy's X-Forwarded-Proto.
    probe = stack.get("/healthz", headers={"X-Forwarded-Proto": "http"})
    page = stack.get("/", headers={"X-Forwarded-Proto": "http"})

    assert probe.status == 200
    assert page.status == 301
    assert page.headers["Location"].startswith("https://")


def test_stack__pages_carry_the_security_headers(stack: ServedStack) -> None:
    page = stack.get("/newsletter/")

    assert page.status == 200
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", page.headers["X-Request-ID"])
    # Public pages set no cookie at all (the page cache needs that); the admin's CSRF cookie
    # is Secure.
    assert page.headers["Set-Cookie"] is None
    assert "Secure" in stack.get("/admin/login/").headers["Set-Cookie"]


def test_stack__static_files_are_hashed_and_compressed(stack: ServedStack) -> None:
    html = stack.get("/").text
    [stylesheet] = re.findall(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)

    answer = stack.get(stylesheet, headers={"Accept-Encoding": "gzip"})

    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert "immutable" in answer.headers["Cache-Control"]


def test_stack__visitor_subscribes_and_confirms_through_the_emailed_link(
    stack: ServedStack, stack_smtp: SmtpInbox
) -> None:
    form_page = stack.get("/newsletter/")
    data = signup_form(form_page.text, "visiteuse@example.org")

    answer = stack.post(
        "/newsletter/",
        urlencode(data).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": stack.origin,
            "Referer": f"{stack.origin}/newsletter/",
        },
    )

    assert answer.status == 302, answer.text
    assert answer.headers["Location"] == "/newsletter/merci/"
    [message] = wait_for(
        lambda: [m for m in stack_smtp.messages if m["To"] == "visiteuse@example.org"],
        "le courriel de confirmation",
    )
    [link] = re.findall(r"https?://\S+/newsletter/confirmer/\S+", text_body(message))
    # Opening the link only shows the button (mail filters open links); its POST confirms.
    opened = stack.get(urlsplit(link).path)
    assert opened.status == 200
    assert "Confirmer mon inscription" in opened.text
    confirmation = stack.post(urlsplit(link).path, b"", headers={"Origin": stack.origin})
    assert confirmation.status == 200
    assert "Inscription confirmée" in confirmation.text
    again = stack.post(urlsplit(link).path, b"", headers={"Origin": stack.origin})
    assert "déjà confirmée" in again.text


def test_stack__admin_login_without_csrf_token_is_refused(stack: ServedStack) -> None:
    # The sign-up form is CSRF-exempt by design (it only starts a double opt-in); forms that
    # act for a session, such as the admin login, still require the token.
    answer = stack.post(
        "/admin/login/",
        urlencode({"username": "intrus", "password": "mauvais"}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": stack.origin},
    )

    assert answer.status == 403


def test_stack__admin_login_is_locked_at_the_fifth_failure(stack: ServedStack) -> None:
    def attempt() -> HttpAnswer:
        page = stack.get("/admin/login/")
        token = re.search(r"csrftoken=([A-Za-z0-9]+)", page.headers["Set-Cookie"])
        assert token is not None
        body = urlencode(
            {"username": "intrus", "password": "mauvais", "csrfmiddlewaretoken": token[1]}
        )
        return stack.post(
            "/admin/login/",
            body.encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={token[1]}",
                "Origin": stack.origin,
            },
        )

    answers = [attempt() for _ in range(5)]

    assert [answer.status for answer in answers] == [200, 200, 200, 200, 429]
    assert "Connexion temporairement bloquée" in answers[-1].text
    assert "réessayez dans 15 minutes" in answers[-1].text
    assert attempt().status == 429


def test_stack__readyz_answers_503_naming_redis_while_it_is_stopped(
    stack: ServedStack, stack_redis: RedisServer
) -> None:
    stack_redis.stop()
    try:
        answer = stack.get("/readyz")
        health = stack.get("/healthz")
    finally:
        stack_redis.start()

    assert answer.status == 503
    body = answer.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert "cache Redis injoignable" in body["checks"]["cache"]
    assert "broker Celery injoignable" in body["checks"]["broker"]
    assert health.status == 200
    stack.wait_ready()  # and it recovers once Redis is back
