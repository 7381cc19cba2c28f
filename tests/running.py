"""Start a whole run (``contigo up``) as a real process tree, and check that its stop leaves nothing behind."""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]


def get_health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Run:
    """One ``contigo up`` process; ``tree`` is every process it had started when last looked at."""

    proc: subprocess.Popen
    log: Path
    ports: Sequence[int]
    tree: list[psutil.Process] = field(default_factory=list)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def look(self) -> list[psutil.Process]:
        """Remember the run's descendants (call it once it is up, before stopping it)."""
        with contextlib.suppress(psutil.NoSuchProcess):
            self.tree = psutil.Process(self.proc.pid).children(recursive=True)
        return self.tree

    def wait_healthy(self, url: str, timeout_s: float) -> tuple[float, dict]:
        started = time.monotonic()
        last: object = None
        while time.monotonic() - started < timeout_s:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"the run exited with {self.proc.returncode} before /health answered:\n{self.output()}"
                )
            try:
                status, body = get_health(url)
                if status == 200:
                    self.look()
                    return time.monotonic() - started, body
                last = body
            except OSError as exc:
                last = exc
            time.sleep(0.25)
        raise AssertionError(f"{url} not 200 within {timeout_s}s; last answer: {last}")

    def stop(self, sig: int = signal.SIGINT, timeout_s: float = 60) -> int | None:
        """Send ``sig`` and wait for the run to end; returns its exit code (None after a SIGKILL)."""
        self.look()
        self.proc.send_signal(sig)
        try:
            code = self.proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"the run did not stop within {timeout_s}s after {signal.Signals(sig).name}") from None
        return None if sig == signal.SIGKILL else code

    def leftovers(self, timeout_s: float = 30) -> tuple[list[str], list[int]]:
        """Processes of the run still alive and its ports still taken, after waiting up to ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while True:
            alive = [p for p in self.tree if _alive(p)]
            taken = [port for port in self.ports if listening(port)]
            if (not alive and not taken) or time.monotonic() > deadline:
                return [_describe(p) for p in alive], taken
            time.sleep(0.25)


def start(
    args: Sequence[str],
    *,
    cwd: Path,
    env: dict[str, str],
    ports: Sequence[int],
    log: Path,
    command: Sequence[str] = (sys.executable, "-m", "contigo.cli", "up"),
) -> Run:
    """``contigo up ARGS`` (or ``command ARGS``) in its own session, as a service manager would start it."""
    handle = log.open("a")
    proc = subprocess.Popen(
        [*command, *args],
        cwd=cwd,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle.close()
    return Run(proc, log, ports)


def _alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _describe(process: psutil.Process) -> str:
    try:
        return f"{process.pid} {' '.join(process.cmdline())[:160]}"
    except psutil.Error:
        return str(process.pid)
