"""The first text of the legal pages states facts the project can check."""

from __future__ import annotations

from legal.content import ACCESSIBILITY
from tests.browser.harness import AXE_VERSION


def _text(entry: dict) -> str:
    return " ".join(str(block["value"]) for block in entry["body"])


def test_accessibility_statement__names_the_axe_core_version_the_tests_pin() -> None:
    assert f"axe-core {AXE_VERSION}" in _text(ACCESSIBILITY)


def test_accessibility_statement__says_non_conforme_without_an_audit() -> None:
    """RGAA: without a valid conformity audit, a site is declared « non conforme »."""
    assert ACCESSIBILITY["conformity"] == "non-conforme"
    assert "<strong>non conforme</strong>" in _text(ACCESSIBILITY)
