"""``make bench-load``'s check of the confirmations counted at its SMTP sink."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "load.py"


@pytest.fixture(scope="module")
def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_load", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up by name while the class is made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


SIGNED_UP = {"bench-1-1-1@example.org", "bench-1-1-2@example.org", "bench-1-2-1@example.org"}


def test_tally__one_message_per_address_signed_up_passes(load: ModuleType) -> None:
    tally = load.ConfirmationTally.of(SIGNED_UP, Counter(dict.fromkeys(SIGNED_UP, 1)))

    assert tally.healthy
    assert tally.line() == "confirmations : 3 envoyées, 3 adresses, 0 doublon, 0 perdue"


@pytest.mark.parametrize(
    ("received", "line"),
    [
        (  # one address mailed twice
            {
                "bench-1-1-1@example.org": 2,
                "bench-1-1-2@example.org": 1,
                "bench-1-2-1@example.org": 1,
            },
            "confirmations : 4 envoyées, 3 adresses, 1 doublon, 0 perdue",
        ),
        (  # one address never mailed
            {"bench-1-1-1@example.org": 1, "bench-1-1-2@example.org": 1},
            "confirmations : 2 envoyées, 2 adresses, 0 doublon, 1 perdue",
        ),
    ],
)
def test_tally__a_duplicate_or_a_lost_confirmation_fails(
    load: ModuleType, received: dict[str, int], line: str
) -> None:
    tally = load.ConfirmationTally.of(SIGNED_UP, Counter(received))

    assert not tally.healthy
    assert tally.line() == line


def test_tally__a_message_to_an_address_never_signed_up_fails(load: ModuleType) -> None:
    received = Counter({**dict.fromkeys(SIGNED_UP, 1), "bench-1-9-9@example.org": 1})

    assert not load.ConfirmationTally.of(SIGNED_UP, received).healthy


def test_tally__nothing_signed_up_and_nothing_received_fails(load: ModuleType) -> None:
    assert not load.ConfirmationTally.of(set(), Counter()).healthy


def test_scenarios__chosen_by_a_word_of_their_label(load: ModuleType) -> None:
    assert [s[0] for s in load.chosen_scenarios("inscription")] == ["inscription (POST)"]
    assert [s[0] for s in load.chosen_scenarios("accueil, annuaire")] == [
        "page d'accueil",
        "annuaire des résidents",
    ]
    assert load.chosen_scenarios("") == load.SCENARIOS


def test_cpu__spent_per_role_counts_a_process_born_since_in_full(load: ModuleType) -> None:
    ticks = os.sysconf("SC_CLK_TCK")
    before = {1: ("web", 10 * ticks), 2: ("worker", 0)}
    after = {1: ("web", 12 * ticks), 2: ("worker", 1 * ticks), 3: ("worker", 1 * ticks)}

    spent = load.CpuMeter.spent(before, after)

    assert spent == {"web": 2.0, "worker": 2.0}
    assert load.cpu_lines(spent, 1000) == [
        "  web                       2.00 ms/req",
        "  worker                    2.00 ms/req",
        "  total                     4.00 ms/req",
    ]


def test_cpu__roles_read_from_the_command_line(load: ModuleType) -> None:
    assert load.role_of("/venv/bin/python /venv/bin/gunicorn --config config/gunicorn.py") == "web"
    worker = "/venv/bin/celery -A config --quiet worker --loglevel=INFO --concurrency=2"
    assert load.role_of(f"/venv/bin/python {worker}") == "worker"
    assert load.role_of("postgres: 15/main: postgres carburateur 127.0.0.1(5) idle") == "postgres"
