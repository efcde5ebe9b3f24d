"""Forwarded headers are believed only from the proxies the operator named."""
from __future__ import annotations

import pytest

from lms.proxies import TrustedProxies, parse_networks


def seen(networks: str, remote: str, **headers) -> tuple[str, str, str]:
    """(client address, scheme, host) the app sees for a request from `remote` with these headers."""
    captured = {}

    def app(environ, start_response):
        captured.update(environ)
        return []

    environ = {"REMOTE_ADDR": remote, "wsgi.url_scheme": "http", "HTTP_HOST": "app:8000"}
    environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    TrustedProxies(app, parse_networks(networks))(environ, lambda *a: None)
    return captured["REMOTE_ADDR"], captured["wsgi.url_scheme"], captured["HTTP_HOST"]


def test_a_client_connecting_directly_cannot_choose_its_address():
    assert seen("127.0.0.1", "203.0.113.5", x_forwarded_for="10.9.9.9", x_forwarded_proto="https",
                x_forwarded_host="evil.example") == ("203.0.113.5", "http", "app:8000")


def test_the_trusted_proxy_passes_the_client_address_scheme_and_host():
    assert seen("127.0.0.1", "127.0.0.1", x_forwarded_for="198.51.100.7", x_forwarded_proto="https",
                x_forwarded_host="lms.example.vn") == ("198.51.100.7", "https", "lms.example.vn")


def test_an_address_the_client_wrote_before_the_proxy_added_the_real_one_is_ignored():
    # The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw.
    assert seen("127.0.0.1", "127.0.0.1", x_forwarded_for="1.2.3.4, 198.51.100.7")[0] == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_address():
    assert seen("10.0.0.0/8, 127.0.0.1", "127.0.0.1",
                x_forwarded_for="1.2.3.4, 198.51.100.7, 10.0.0.3")[0] == "198.51.100.7"


def test_garbage_in_the_header_stops_the_walk_at_the_last_good_address():
    assert seen("127.0.0.1", "127.0.0.1", x_forwarded_for="198.51.100.7, not-an-ip")[0] == "127.0.0.1"
    assert seen("::1", "::1", x_forwarded_for="2001:db8::5")[0] == "2001:db8::5"


@pytest.mark.parametrize("value", ["1", "proxy.local", "10.0.0.0/99"])
def test_a_setting_that_is_not_addresses_is_refused_with_its_entry(value):
    with pytest.raises(ValueError, match="TRUSTED_PROXIES"):
        parse_networks(value)
