"""Serve an ASGI app with uvicorn until a stop signal, then return: the caller's cleanup always runs."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterator

import uvicorn

from contigo.processes import STOP_SIGNALS


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling.

    uvicorn catches SIGINT/SIGTERM itself and, after its shutdown, raises the signal again, so the
    process dies by it and the code after ``serve()`` (stopping PostgreSQL, the mail catcher, saying
    "detenido") never runs. The run installs its own handlers instead (``until_stopped``).
    """

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.contextmanager
def until_stopped() -> Iterator[asyncio.Event]:
    """An event set by SIGINT, SIGTERM or SIGHUP on the running loop, for as long as the block lasts."""
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stopping.set)
    try:
        yield stopping
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)  # back to the default handler (KeyboardInterrupt for SIGINT)


async def serve(
    app: object,
    host: str,
    port: int,
    stopping: asyncio.Event,
    *,
    on_started: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Serve ``app`` on ``host:port`` until ``stopping`` is set; a graceful shutdown, lifespan included."""
    server = _Server(uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on"))

    async def watch() -> None:
        await stopping.wait()
        server.should_exit = True

    async def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.05)
        if on_started is not None:
            await on_started()

    watcher = asyncio.create_task(watch())
    announcer = asyncio.create_task(announce())
    try:
        await server.serve()
    finally:
        for task in (watcher, announcer):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    if not server.started and not stopping.is_set():
        raise RuntimeError(f"no se pudo servir en {host}:{port} (¿el puerto está ocupado?)")
