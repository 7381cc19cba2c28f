"""The embedded run keeps a dead letter in a file (it has no Kafka topic to keep it in)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator

import pytest

from contigo.embedded import running
from contracts import topics

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def system_database(own_database) -> Iterator[str]:
    with own_database() as url:
        yield url


async def test_a_message_no_consumer_can_read_is_kept_in_the_dead_letter_file_with_its_error(system_database, tmp_path):
    async with running(tmp_path, system_database, smtp_port=free_port()) as system:
        broker = system.services["cases"].state.host.broker

        await asyncio.wait_for(broker.publish(b"not an event", topic=topics.IDENTITY_ACCOUNT), 120)

        letters = [json.loads(line) for line in (tmp_path / "dead-letters.jsonl").read_text().splitlines()]

    assert letters, "no dead letter was kept"
    assert letters[0]["body"] == "not an event"
    assert letters[0]["headers"]["x-original-topic"] == topics.IDENTITY_ACCOUNT
    assert letters[0]["headers"]["x-error"]
