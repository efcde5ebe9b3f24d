"""Believe X-Forwarded-* only when the request came from a proxy the operator named.

Werkzeug's ProxyFix counts hops and believes whoever connects; with a proxy configured but none in front, a
client could then write its own X-Forwarded-For and pick the address the sign-in throttle counts. Here the
headers are read only when the connecting address is one of TRUSTED_PROXIES (addresses or networks), and the
client is the nearest address in X-Forwarded-For that is not itself a trusted proxy.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str | Iterable[str]) -> tuple[Network, ...]:
    """Networks from "127.0.0.1, 10.0.0.0/8, ::1" (or a list); ValueError names an entry that is not one."""
    entries = value.split(",") if isinstance(value, str) else list(value)
    networks = []
    for entry in (e.strip() for e in entries):
        if not entry:
            continue
        if entry.isdigit():  # the former hop count ("1") would silently mean the address 0.0.0.1
            raise ValueError(f"TRUSTED_PROXIES lists proxy addresses, not a number of hops: {entry!r}")
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an IP address or network") from error
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


class TrustedProxies:
    """WSGI middleware: client address, scheme and host from a trusted proxy's headers, else untouched."""

    def __init__(self, app, networks: tuple[Network, ...]):
        self.app, self.networks = app, networks

    def trusted(self, value: str | None) -> bool:
        """True if the address is one of the configured proxies."""
        address = _address(value or "")
        return address is not None and any(address in network for network in self.networks)

    def __call__(self, environ, start_response):
        remote = environ.get("REMOTE_ADDR")
        if self.trusted(remote):
            client = remote
            hops = [h for h in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
            for hop in reversed(hops):  # nearest first; stop at the first address no proxy of ours vouches for
                if _address(hop) is None:
                    break
                client = hop.strip()
                if not self.trusted(client):
                    break
            environ["lms.proxy_remote_addr"] = remote
            environ["REMOTE_ADDR"] = client
            proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                environ["wsgi.url_scheme"] = proto
            host = environ.get("HTTP_X_FORWARDED_HOST", "").split(",")[-1].strip()
            if host:
                environ["HTTP_HOST"] = host
        return self.app(environ, start_response)
