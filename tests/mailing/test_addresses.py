from __future__ import annotations

from typing import Any

import pytest

from django.core.exceptions import ValidationError

from mailing.addresses import address_hash, normalise_address


def test_normalise__internationalised_domain_is_stored_in_punycode() -> None:
    assert normalise_address(" Marie@Café.FR ") == "Marie@xn--caf-dma.fr"


def test_address_hash__ignores_case_and_is_keyed(settings: Any) -> None:
    assert address_hash("Marie@Example.fr") == address_hash("marie@example.fr")
    first = address_hash("marie@example.fr")
    settings.NEWSLETTERS_HASH_KEY = "another-key"
    assert address_hash("marie@example.fr") != first


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("pas-une-adresse", "valide"),
        ("marie@example.fr\r\nBcc: victime@example.fr", "retour à la ligne"),
        ("marie@example.fr\nBcc:x@example.fr", "retour à la ligne"),
        ("a@example.fr, b@example.fr", "une seule adresse"),
        ("x" * 250 + "@example.fr", "trop longue"),
        ("marie\ufffd@example.fr", "UTF-8"),
        ("marie@", "valide"),
    ],
)
def test_normalise__rejects_with_a_french_message(raw: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        normalise_address(raw)
    assert message in " ".join(error.value.messages)
