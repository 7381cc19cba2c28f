"""Child processes that never outlive the run that started them, and a run that stops on signals.

A run (``contigo up``) stops its children itself on SIGINT, SIGTERM and SIGHUP. When it is killed
outright (SIGKILL, an out-of-memory kill) it cannot, so each child also asks the kernel for a signal
when its parent dies (Linux ``PR_SET_PDEATHSIG``). There is no well-kept Python package for that
one system call that installs without a C toolchain (``python-prctl`` compiles against libcap),
so it is called through ``ctypes``.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

_PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class StopRequestedError(Exception):
    """Raised in the main thread of a run when a stop signal arrives."""


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGINT, SIGTERM and SIGHUP into ``StopRequestedError`` in synchronous code.

    A service manager or a container stop sends SIGTERM; a closed terminal sends SIGHUP; all of
    them must end the run the way Ctrl-C does, through its ``finally`` blocks.
    """

    def raise_stop(signum: int, _frame: object) -> None:
        raise StopRequestedError(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, raise_stop) for sig in STOP_SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _die_with_parent(parent_pid: int, death_signal: int) -> Callable[[], None]:
    libc = ctypes.CDLL(None, use_errno=True)  # loaded before fork: the child only calls into it

    def in_child() -> None:
        if libc.prctl(_PR_SET_PDEATHSIG, death_signal, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent_pid:  # the parent died before the request took effect
            os.kill(os.getpid(), death_signal)

    return in_child


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    stop_signal: int


@dataclass
class Children:
    """The processes of one run: started in their own session (so a terminal's Ctrl-C reaches the
    run, which stops them in order), each told to die with the run, all stopped by ``stop()``."""

    started: list[Child] = field(default_factory=list)

    def spawn(
        self,
        name: str,
        args: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        output: IO[Any] | int | None = None,
        cwd: Path | None = None,
        user: str | None = None,
        stop_signal: int = signal.SIGTERM,
    ) -> subprocess.Popen[bytes]:
        """Start ``args``; ``stop_signal`` is what ``stop()`` and the kernel (on the run's death) send."""
        if threading.current_thread() is not threading.main_thread():
            # The kernel signals a child when the *thread* that forked it ends, not the process.
            raise RuntimeError("children of a run are started from its main thread")
        process = subprocess.Popen(
            list(args),
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT if output is not None else None,
            start_new_session=True,
            **run_as(user),
            preexec_fn=_die_with_parent(os.getpid(), stop_signal),  # noqa: PLW1509 - one syscall, no locks
        )
        self.started.append(Child(name, process, stop_signal))
        return process

    def exited(self) -> list[Child]:
        """Children that have ended on their own."""
        return [c for c in self.started if c.process.poll() is not None]

    def stop(self, grace_s: float = 15.0) -> None:
        """Ask every child to stop, newest first; kill those still alive after ``grace_s``."""
        for child in reversed(self.started):
            if child.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    child.process.send_signal(child.stop_signal)
        deadline = time.monotonic() + grace_s
        for child in reversed(self.started):
            try:
                child.process.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"contigo: {child.name} no se detuvo en {grace_s:.0f} s; se termina a la fuerza", file=sys.stderr)
                child.process.kill()
                child.process.wait()
        self.started.clear()


def run_as(user: str | None) -> dict[str, Any]:
    """``subprocess`` arguments that run a command as ``user`` with that user's group only.

    Changing the user alone would keep root's group, and a folder of group root with no group
    permission (``/root`` is ``drwx-----x``) is then closed to the command even if others may enter.
    """
    if user is None:
        return {}
    import pwd

    return {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []}


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    """True when nothing listens on ``host:port`` (a run checks its ports before starting anything)."""
    import socket

    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True
