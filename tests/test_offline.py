"""The test session blocks the network, so any code that reached for it would fail here.

Every way out is tried against addresses reserved for documentation (TEST-NET, RFC 5737 and
RFC 3849), which are never routed, and names under ``.invalid`` (RFC 6761), which never resolve:
without the guard these would time out, be sent, or fail with a different error.
"""

from __future__ import annotations

import socket

import pytest

BLOCKED = "network access blocked"


@pytest.mark.parametrize("host", ["192.0.2.1", "localhost.invalid", "127.0.0.1.invalid", "127.example.invalid",
                                  "::1.invalid", "2001:db8::1", "0.0.0.0", ""])
def test_connecting_to_another_host_fails(host):
    with pytest.raises(OSError, match=BLOCKED):
        socket.create_connection((host, 80), timeout=1)
    family = socket.AF_INET6 if ":" in host and "." not in host else socket.AF_INET
    with socket.socket(family) as raw, pytest.raises(OSError, match=BLOCKED):
        raw.connect((host, 443))
    with socket.socket(family) as raw, pytest.raises(OSError, match=BLOCKED):
        raw.connect_ex((host, 443))


def test_sending_udp_to_another_host_fails():
    """UDP needs no connection: a datagram to any address would leave the machine."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        with pytest.raises(OSError, match=BLOCKED):
            udp.sendto(b"x", ("203.0.113.5", 53))
        with pytest.raises(OSError, match=BLOCKED):
            udp.sendto(b"x", 0, ("203.0.113.5", 53))
        with pytest.raises(OSError, match=BLOCKED):
            udp.sendmsg([b"x"], [], 0, ("203.0.113.5", 53))


# looked up when called: the guard replaces these functions after the test module is imported
@pytest.mark.parametrize("lookup", [lambda host, port: socket.getaddrinfo(host, port),
                                    lambda host, port: socket.gethostbyname(host),
                                    lambda host, port: socket.gethostbyname_ex(host)],
                         ids=["getaddrinfo", "gethostbyname", "gethostbyname_ex"])
@pytest.mark.parametrize("host", ["example.invalid", "localhost.invalid", b"example.invalid"])
def test_resolving_another_name_fails(lookup, host):
    with pytest.raises(OSError, match=BLOCKED):
        lookup(host, 80)


def test_loopback_is_allowed():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            pass
        with socket.create_connection(("localhost", port), timeout=1):
            pass
        with socket.socket() as raw:
            assert raw.connect_ex(("127.0.0.1", port)) == 0
    assert socket.getaddrinfo("localhost", 80)
    assert socket.getaddrinfo("127.0.0.1", 80) and socket.getaddrinfo(None, 80)


def test_udp_to_loopback_is_allowed():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        receiver.bind(("127.0.0.1", 0))
        receiver.settimeout(1)
        sender.sendto(b"ping", receiver.getsockname())
        sender.sendmsg([b"pong"], [], 0, receiver.getsockname())
        assert receiver.recv(4) == b"ping" and receiver.recv(4) == b"pong"
