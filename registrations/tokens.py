"""The cancellation link printed in every email about a registration.

It does not expire (it must work until the event), and it names both the registration and its
address hash: anonymising or erasing the registration kills the link.
"""

from __future__ import annotations

from dataclasses import dataclass

from subscriptions.tokens import SignedLink

_CANCEL = SignedLink("registrations.cancel")


@dataclass(frozen=True)
class CancelRequest:
    registration_id: int
    address_hash: str


def make_cancel_token(registration_id: int, address_hash: str) -> str:
    return _CANCEL.make({"r": registration_id, "h": address_hash[:16]})


def read_cancel_token(token: str) -> CancelRequest:
    """Raises ``subscriptions.tokens.InvalidToken`` for a forged or altered link.

    The address hash in the request is its first 16 characters: compare with ``startswith``.
    """
    return _CANCEL.read(token, lambda p: CancelRequest(int(p["r"]), str(p["h"])))
