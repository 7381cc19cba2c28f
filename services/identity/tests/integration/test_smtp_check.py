"""Identity's health knows whether its SMTP server answers, checked against a real one (aiosmtpd)."""

from __future__ import annotations

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink

from identity.app import smtp_check

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_a_running_smtp_server_passes_the_check():
    port = free_port()
    server = Controller(Sink(), hostname="127.0.0.1", port=port)
    server.start()
    try:
        problem = await smtp_check("127.0.0.1", port)()
    finally:
        server.stop()

    assert problem is None


async def test_a_missing_smtp_server_is_named():
    port = free_port()

    problem = await smtp_check("127.0.0.1", port)()

    assert problem.startswith(f"cannot reach the SMTP server at 127.0.0.1:{port}")
