"""Structured logs: one JSON object a line, request and task ids, addresses never in full."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Iterator

import pytest
from celery import shared_task

from django.test import Client

from ops.logs import logging_config, mask_emails


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Route every log record through the production handler into a buffer."""
    stream = io.StringIO()
    config = logging_config("INFO", json_lines=True)
    config["handlers"]["console"]["stream"] = stream
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    logging.config.dictConfig(config)
    try:
        yield stream
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_mask_emails__keeps_the_first_letter_and_the_domain() -> None:
    assert mask_emails("inscrite : jeanne.dupont+lettre@example.org.") == (
        "inscrite : j***@example.org."
    )
    assert mask_emails("a@b.fr, Zoé <zoe@mairie-marseille.fr>") == (
        "a***@b.fr, Zoé <z***@mairie-marseille.fr>"
    )
    assert mask_emails("pas d'adresse @ ici") == "pas d'adresse @ ici"


def test_json_log__one_line_an_event_with_masked_message_args_and_extras(
    json_log: io.StringIO,
) -> None:
    class Subscriber:
        def __str__(self) -> str:
            return "marie@example.fr"

    logger = logging.getLogger("newsletters.test")
    logger.info("Inscription de %s (%s)", "paul@example.org", Subscriber())
    logger.warning("Échec", extra={"recipients": ["ali@example.com"], "count": 2})

    first, second = lines(json_log)
    assert first["message"] == "Inscription de p***@example.org (m***@example.fr)"
    assert first["level"] == "INFO"
    assert first["logger"] == "newsletters.test"
    assert first["request_id"] == "" and first["task_id"] == ""
    assert second["recipients"] == ["a***@example.com"]
    assert second["count"] == 2
    assert "@example" not in json_log.getvalue().replace("***@example", "")


def test_json_log__exception_text_is_masked(json_log: io.StringIO) -> None:
    try:
        raise ValueError("adresse refusée : luc@example.org")
    except ValueError:
        logging.getLogger("test").exception("Envoi impossible")

    [entry] = lines(json_log)
    assert "ValueError: adresse refusée : l***@example.org" in entry["exception"]
    assert "luc@" not in json_log.getvalue()


def test_request_log__carries_the_request_id_given_by_the_proxy(
    json_log: io.StringIO, client: Client
) -> None:
    answer = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-1234")

    assert answer["X-Request-ID"] == "proxy-1234"
    [entry] = [line for line in lines(json_log) if line["logger"] == "ops.request"]
    assert entry["request_id"] == "proxy-1234"
    assert entry["message"] == "GET /healthz 200"
    assert entry["status"] == 200 and entry["path"] == "/healthz"


def test_request_log__generates_an_id_when_the_given_one_is_unusable(
    json_log: io.StringIO, client: Client
) -> None:
    answer = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline")

    generated = answer["X-Request-ID"]
    assert len(generated) == 32 and generated.isalnum()
    [entry] = [line for line in lines(json_log) if line["logger"] == "ops.request"]
    assert entry["request_id"] == generated


@shared_task(name="tests.ops.log_something")
def log_something(email: str) -> None:
    logging.getLogger("newsletters.sending").info("Envoyé à %s", email)


def test_task_log__carries_the_task_id_and_no_address(json_log: io.StringIO) -> None:
    result = log_something.apply(args=["sam@example.net"], task_id="tache-42")

    assert result.successful()
    [entry] = [line for line in lines(json_log) if line["logger"] == "newsletters.sending"]
    assert entry["task_id"] == "tache-42"
    assert entry["message"] == "Envoyé à s***@example.net"
    # Outside the task, the id is gone again.
    logging.getLogger("after").info("après")
    assert lines(json_log)[-1]["task_id"] == ""
