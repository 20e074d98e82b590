from __future__ import annotations

import pytest

from subscriptions.privacy import truncate_ip


@pytest.mark.parametrize(
    ("ip", "network"),
    [
        ("203.0.113.57", "203.0.113.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("::ffff:198.51.100.7", "198.51.100.0/24"),
        ("n'importe quoi", ""),
    ],
)
def test_truncate_ip__keeps_only_the_network(ip: str, network: str) -> None:
    assert truncate_ip(ip) == network
