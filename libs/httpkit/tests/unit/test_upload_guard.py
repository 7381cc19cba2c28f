"""A stalled upload is cut with a 408, a client's uploads beyond the cap get a 429 at once, and a slow
upload that keeps sending is taken: tried over a real socket against uvicorn, as a browser would."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Annotated

import msgspec
import pytest
import uvicorn
from litestar import Litestar, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body

from httpkit.uploads import STALLED, TOO_MANY, html_page, upload_guard

pytestmark = pytest.mark.unit
BOUNDARY = "limite"


class Form(msgspec.Struct):
    file: UploadFile


def app(render=None) -> Litestar:
    @post("/subir")
    async def take(data: Annotated[Form, Body(media_type=RequestEncodingType.MULTI_PART)]) -> dict[str, int]:
        content = await data.file.read()
        await data.file.close()
        return {"size": len(content)}

    guard = upload_guard(idle_s=0.5, max_per_client=2, **({"render": render} if render else {}))
    return Litestar([take], middleware=[guard])


@contextlib.asynccontextmanager
async def serving(application: Litestar) -> AsyncIterator[int]:
    server = uvicorn.Server(uvicorn.Config(application, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield server.servers[0].sockets[0].getsockname()[1]
    finally:
        server.should_exit = True
        await task


def body(content: bytes) -> bytes:
    return (
        (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="ddc.pdf"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


async def start_upload(port: int, total: bytes) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = (
        f"POST /subir HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {len(total)}\r\n\r\n"
    )
    writer.write(head.encode())
    await writer.drain()
    return reader, writer


async def answer(reader: asyncio.StreamReader) -> tuple[int, dict[str, str], bytes]:
    status_line = await asyncio.wait_for(reader.readline(), 10)
    headers = {}
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode().partition(":")
        headers[name.strip().lower()] = value.strip()
    content = await reader.readexactly(int(headers["content-length"]))
    return int(status_line.split()[1]), headers, content


async def test_an_upload_that_stops_sending_is_cut_with_a_408_in_spanish():
    async with serving(app()) as port:
        total = body(b"%PDF-1.7 " + b"x" * 10_000)
        reader, writer = await start_upload(port, total)
        writer.write(total[:3000])  # then nothing more, as a dropped mobile link
        await writer.drain()

        status, headers, content = await answer(reader)
        writer.close()

    assert status == 408
    assert json.loads(content) == {"detail": STALLED}
    assert headers["connection"] == "close"


async def test_a_slow_upload_that_keeps_sending_is_taken():
    async with serving(app()) as port:
        total = body(b"%PDF-1.7 " + b"x" * 6_000)
        reader, writer = await start_upload(port, total)
        for start in range(0, len(total), 1000):  # each piece well within the idle limit, the whole beyond it
            writer.write(total[start : start + 1000])
            await writer.drain()
            await asyncio.sleep(0.2)

        status, _headers, content = await answer(reader)
        writer.close()

    assert status == 201
    assert json.loads(content) == {"size": 6_009}


async def test_a_client_with_its_uploads_open_gets_a_429_at_once_and_others_are_not_held_back():
    async with serving(app()) as port:
        total = body(b"%PDF-1.7 " + b"x" * 50_000)
        first = await start_upload(port, total)
        second = await start_upload(port, total)
        await asyncio.sleep(0.1)
        third = await start_upload(port, total)

        status, _headers, content = await answer(third[0])
        for _reader, writer in (first, second, third):
            writer.close()
        await asyncio.sleep(0.7)  # the two open ones stall and are cut; the count goes back to zero
        again = await start_upload(port, body(b"%PDF-1.7 ok"))
        again[1].write(body(b"%PDF-1.7 ok"))
        later, _h, _c = await answer(again[0])
        again[1].close()

    assert status == 429
    assert json.loads(content) == {"detail": TOO_MANY}
    assert later == 201


async def test_a_web_page_gets_the_refusal_as_a_page():
    async with serving(app(render=html_page)) as port:
        total = body(b"%PDF-1.7 ")
        reader, writer = await start_upload(port, total)

        status, headers, content = await answer(reader)
        writer.close()

    assert status == 408
    assert headers["content-type"].startswith("text/html")
    assert "La subida del archivo se detuvo" in content.decode()
    assert '<html lang="es">' in content.decode()
