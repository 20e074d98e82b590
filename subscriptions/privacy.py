"""The client address, and its truncated form for the consent ledger."""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    Only ``REMOTE_ADDR`` is trusted: a reverse proxy in front of the site must set it (for
    example with uWSGI/gunicorn's forwarded-allow-ips), because any client can forge
    ``X-Forwarded-For``.
    """
    return request.META.get("REMOTE_ADDR", "") or ""


def truncate_ip(value: str) -> str:
    """Keep the network only: a /24 for IPv4, a /48 for IPv6; empty if not an address."""
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))
