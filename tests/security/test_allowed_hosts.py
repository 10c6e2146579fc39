"""DNS rebinding (issue 20): the local app answers its WebSocket only to its own names.  A page of
any site whose host name was rebound to 127.0.0.1 sends ``Host: evil.example``: refused."""

from __future__ import annotations

import base64
import os
import socket
import tomllib
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]


def upgrade_status(url: str, host: str, path: str = "/_stcore/stream") -> int:
    """The HTTP status of a WebSocket upgrade sent with this Host header (101 = accepted)."""
    u = urlparse(url)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
               f"Sec-WebSocket-Protocol: streamlit\r\n\r\n")
    with socket.create_connection((u.hostname, u.port), timeout=10) as s:
        s.sendall(request.encode())
        head = s.recv(4096).decode("latin-1")
    return int(head.split()[1]) if head.startswith("HTTP/") else 0


def test_the_config_names_the_local_hosts_only():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    hosts = config["server"]["allowedHosts"]
    assert "localhost" in hosts and "127.0.0.1" in hosts and "*" not in hosts
    assert all(h in {"localhost", "127.0.0.1", "::1"} or h.startswith("*.streamlit.app") for h in hosts)


@pytest.mark.slow
def test_a_foreign_host_header_is_refused_and_the_own_name_accepted(tmp_path):
    from tests.e2e.conftest import start_server

    proc, url = start_server(tmp_path)
    port = urlparse(url).port
    try:
        assert upgrade_status(url, f"localhost:{port}") == 101
        assert upgrade_status(url, f"127.0.0.1:{port}") == 101
        for foreign in ("evil.example", f"evil.example:{port}", "localhost.evil.example", "127.0.0.1.nip.io"):
            assert upgrade_status(url, foreign) in (400, 403), foreign
    finally:
        proc.terminate()
        proc.wait(timeout=20)
