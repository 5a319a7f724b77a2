"""The test session blocks the network, so any code that reached for it would fail here."""

from __future__ import annotations

import socket

import pytest


def test_connecting_to_another_host_fails():
    with pytest.raises(OSError, match='network access blocked'):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1, never routed
    with socket.socket() as raw, pytest.raises(OSError, match='network access blocked'):
        raw.connect(("203.0.113.5", 443))


def test_loopback_is_allowed():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
