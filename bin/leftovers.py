"""Ends ./bin/test: every process the test suite started must be gone.

bin/test exports CONTIGO_TEST_RUN=<marker> for pytest only; every process started under it inherits
the marker in its environment (the servers of deploy/local drop it: they stay up on purpose). After
the suite, a process whose environment still holds the marker outlived the test that started it.
It is listed, stopped (TERM, then KILL), and the check fails.

    python3 bin/leftovers.py MARKER [GRACE_SECONDS]
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path


def marked(marker: str) -> dict[int, str]:
    needle = f"CONTIGO_TEST_RUN={marker}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            if (entry / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                continue  # a zombie has ended; only its parent's wait() is missing
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # it ended while we looked
    return found


def main(marker: str, grace_s: float) -> int:
    deadline = time.monotonic() + grace_s
    while (alive := marked(marker)) and time.monotonic() < deadline:
        time.sleep(0.5)  # a run stopped by the last test may still be shutting down
    if not alive:
        print("bin/test: no process started by the tests is left")
        return 0
    print(f"bin/test: {len(alive)} process(es) started by the tests outlived them:", file=sys.stderr)
    for pid, cmdline in sorted(alive.items()):
        print(f"  {pid} {cmdline[:200]}", file=sys.stderr)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    time.sleep(5)
    for pid in marked(marker):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 20.0))
