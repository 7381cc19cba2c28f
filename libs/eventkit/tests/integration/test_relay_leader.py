"""On real PostgreSQL: of two relays on one outbox only the leader publishes, and the other takes over."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from kit_db import case, schema_pool

from eventkit import outbox
from eventkit.messages import wrap
from eventkit.relay import OutboxRelay

pytestmark = pytest.mark.integration


class Replicas:
    """Two relays of one service, each recording what it published on one shared log."""

    def __init__(self, pool: asyncpg.Pool, schema: str):
        self.sent: list[tuple[str, str]] = []  # (replica, body's key)
        self.relays = {
            name: OutboxRelay(pool, schema, self._publisher(name), idle_s=0.1, standby_s=0.05) for name in "ab"
        }
        self.tasks: dict[str, asyncio.Task[None]] = {}

    def _publisher(self, name: str):
        async def publish(topic: str, key: str, body: bytes, headers: dict[str, str]) -> None:
            self.sent.append((name, key))

        return publish

    def start(self, name: str) -> None:
        self.tasks[name] = asyncio.create_task(self.relays[name].run())

    async def stop(self, name: str) -> None:
        task = self.tasks.pop(name)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    async def leader(self) -> str:
        for _ in range(200):
            leaders = [n for n, r in self.relays.items() if r.role == "leader"]
            if len(leaders) == 1 and all(r.role != "starting" for n, r in self.relays.items() if n in self.tasks):
                return leaders[0]
            await asyncio.sleep(0.02)
        raise AssertionError(f"no single leader: { {n: r.role for n, r in self.relays.items()} }")

    async def published(self, keys: list[str]) -> None:
        for _ in range(300):
            if {k for _, k in self.sent} >= set(keys):
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"not published: {set(keys) - {k for _, k in self.sent}}")


async def add(pool: asyncpg.Pool, keys: list[str]) -> None:
    for key in keys:
        async with pool.acquire() as conn, conn.transaction():
            await outbox.add(conn, wrap(case(), key=key))


async def test_of_two_relays_on_one_outbox_only_the_leader_publishes(database_url, tmp_path):
    pool, schema = await schema_pool(database_url, tmp_path)
    replicas = Replicas(pool, schema)
    keys = [f"k{i}" for i in range(30)]
    try:
        replicas.start("a")
        replicas.start("b")
        leader = await replicas.leader()

        await add(pool, keys)
        await replicas.published(keys)
        await asyncio.sleep(0.3)  # the standby gets every chance to publish something too
        roles = {n: r.role for n, r in replicas.relays.items()}
    finally:
        for name in list(replicas.tasks):
            await replicas.stop(name)
        await pool.close()

    assert replicas.sent == [(leader, k) for k in keys]
    assert sorted(roles.values()) == ["leader", "standby"]


async def test_when_the_leaders_connection_drops_the_standby_takes_over_in_order(database_url, tmp_path):
    pool, schema = await schema_pool(database_url, tmp_path)
    replicas = Replicas(pool, schema)
    try:
        replicas.start("a")
        await replicas.leader()
        replicas.start("b")
        await replicas.leader()
        await add(pool, ["before"])
        await replicas.published(["before"])
        admin = await asyncpg.connect(database_url)
        try:
            await admin.execute("select pg_terminate_backend($1)", replicas.relays["a"].lock_pid)
        finally:
            await admin.close()

        await add(pool, [f"after{i}" for i in range(20)])
        await replicas.published([f"after{i}" for i in range(20)])
        new_leader = await replicas.leader()
    finally:
        for name in list(replicas.tasks):
            await replicas.stop(name)
        await pool.close()

    assert new_leader == "b"
    assert replicas.sent[0] == ("a", "before")
    after = [k for _, k in replicas.sent if k.startswith("after")]
    assert after == [f"after{i}" for i in range(20)]
    assert {n for n, k in replicas.sent if k.startswith("after")} == {"b"}


async def test_when_the_leader_stops_the_standby_publishes_what_is_pending(database_url, tmp_path):
    pool, schema = await schema_pool(database_url, tmp_path)
    replicas = Replicas(pool, schema)
    try:
        replicas.start("a")
        await replicas.leader()
        replicas.start("b")
        await replicas.leader()
        await replicas.stop("a")
        await add(pool, ["x1", "x2", "x3"])

        await replicas.published(["x1", "x2", "x3"])
        role_of_b = replicas.relays["b"].role
    finally:
        for name in list(replicas.tasks):
            await replicas.stop(name)
        await pool.close()

    assert replicas.sent == [("b", "x1"), ("b", "x2"), ("b", "x3")]
    assert role_of_b == "leader"
