"""Bulk import of beneficiaries from CSV: every row is checked, then all are stored with COPY, or none.

One pass over the file: a worker thread reads and checks it a megabyte at a time (``imports.domain``)
while PostgreSQL copies the rows already checked straight into ``beneficiaries``, so both cores work at
once. From the first bad row on nothing more is sent, and the transaction is rolled back. The
per-district counters follow from the table's statement triggers, in the same transaction.
"""

from __future__ import annotations

import asyncio
import os
import time
import zlib
from collections.abc import AsyncIterable, AsyncIterator, Iterable
from datetime import date
from pathlib import Path
from typing import BinaryIO

import asyncpg
import structlog

from eventkit.clock import LimaClock
from padron.imports import synthetic
from padron.imports.domain import CHUNK_BYTES, COLUMNS, CsvCheck, ImportReport

log = structlog.get_logger(__name__)


Source = str | os.PathLike[str] | bytes | BinaryIO | Iterable[bytes] | AsyncIterable[bytes]


# One import at a time: the check of DNIs already in the table must hold until the commit.
IMPORT_LOCK = zlib.crc32(b"padron:bulk-import")


class _RejectedError(Exception):
    """Rolls the import's transaction back."""


async def import_csv(conn: asyncpg.Connection, source: Source, today: date | None = None) -> ImportReport:
    """Import a CSV of beneficiaries (header = ``beneficiary.FIELDS``): all rows or, if any is bad, none.

    ``source``: a path, the bytes, a binary file, or a sync or async iterable of byte chunks.
    """
    started = time.perf_counter()
    check = CsvCheck(today or LimaClock().today())
    try:
        async with conn.transaction():
            await conn.execute("select pg_advisory_xact_lock($1)", IMPORT_LOCK)
            check.existing = await _existing_dnis(conn)
            feed = _feed(check, source)
            try:
                await conn.copy_to_table("beneficiaries", source=feed, columns=COLUMNS, format="csv")
            finally:
                await feed.aclose()  # closes the file even when COPY fails half-way
            if not check.report.ok:
                raise _RejectedError
            check.report.imported = check.accepted
    except _RejectedError:
        pass
    except asyncpg.UniqueViolationError:
        check.report.problem = (
            "Mientras se importaba, se registró otro beneficiario con uno de estos DNI; vuelva a intentarlo."
        )
    report = check.report
    report.seconds = time.perf_counter() - started
    if report.ok:
        log.info("padron_import_done", rows=report.imported, seconds=round(report.seconds, 2))
    else:
        log.info("padron_import_rejected", error_rows=report.error_rows, file_problem=report.problem is not None)
    return report


async def load_demo(conn: asyncpg.Connection, rows: int = synthetic.DEFAULT_ROWS, *, today: date | None = None) -> int:
    """Import the synthetic padrón if there are no beneficiaries yet; the number imported (0 if there were)."""
    async with conn.transaction():
        await conn.execute("select pg_advisory_xact_lock($1)", IMPORT_LOCK)
        if await conn.fetchval("select exists (select 1 from beneficiaries)"):
            return 0
        report = await import_csv(conn, synthetic.csv_chunks(rows, as_of=today), today)
    if not report.ok:
        raise RuntimeError(f"the synthetic padrón did not import: {report.detail} {report.errors[:3]}")
    return report.imported


async def _existing_dnis(conn: asyncpg.Connection) -> bytearray | None:
    """The DNIs already in the table as a bitmap over 10**8 (12.5 MB); None when the table is empty."""
    if not await conn.fetchval("select exists (select 1 from beneficiaries)"):
        return None
    bits = bytearray(100_000_000 // 8)
    tail = b""

    async def mark(data: bytes) -> None:
        nonlocal tail
        lines = (tail + data).split(b"\n")
        tail = lines.pop()
        for line in lines:
            k = int(line)
            bits[k >> 3] |= 1 << (k & 7)

    await conn.copy_from_query("select dni from beneficiaries", output=mark)
    return bits


async def _feed(check: CsvCheck, source: Source) -> AsyncIterator[bytes]:
    """The checked rows as CSV for COPY, checked in a worker thread so the event loop keeps COPY going."""
    async for raw in _chunks(source):
        out = await asyncio.to_thread(check.feed, raw)
        if out:
            yield out
        if check.report.problem:
            return
    out = await asyncio.to_thread(check.feed, b"", final=True)
    if out:
        yield out


async def _chunks(source: Source) -> AsyncIterator[bytes]:
    """The source as chunks of about CHUNK_BYTES; blocking reads happen in a worker thread."""
    if isinstance(source, bytes):
        for start in range(0, len(source), CHUNK_BYTES):
            yield source[start : start + CHUNK_BYTES]
    elif isinstance(source, str | os.PathLike):
        f = await asyncio.to_thread(Path(source).open, "rb")
        try:
            async for chunk in _chunks(f):
                yield chunk
        finally:
            f.close()
    elif hasattr(source, "read"):
        while chunk := await asyncio.to_thread(source.read, CHUNK_BYTES):  # type: ignore[union-attr]
            yield chunk
    elif isinstance(source, AsyncIterable):
        async for chunk in _coalesced(source):
            yield chunk
    else:
        parts = iter(source)
        while (chunk := await asyncio.to_thread(next, parts, None)) is not None:
            yield chunk


async def _coalesced(parts: AsyncIterable[bytes]) -> AsyncIterator[bytes]:
    """Small pieces (an HTTP body arrives in a few kB at a time) joined into chunks of CHUNK_BYTES."""
    buffer = bytearray()
    async for part in parts:
        buffer += part
        if len(buffer) >= CHUNK_BYTES:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)
