"""The two ways to run: the README's run command (embedded) and the distributed run
each serve a healthy /health, and stop cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[1]


def get_health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float) -> tuple[float, dict]:
    started = time.monotonic()
    last: object = None
    while time.monotonic() - started < timeout_s:
        if proc.poll() is not None:
            raise AssertionError(f"the process exited with {proc.returncode} before /health answered")
        try:
            status, body = get_health(url)
            if status == 200:
                return time.monotonic() - started, body
            last = body
        except OSError as exc:
            last = exc
        time.sleep(0.25)
    raise AssertionError(f"/health not 200 within {timeout_s}s; last answer: {last}")


def stop(proc: subprocess.Popen, sig: int = signal.SIGINT, timeout_s: float = 30) -> int:
    proc.send_signal(sig)
    try:
        return proc.wait(timeout_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


def test_the_embedded_run_is_healthy_within_30_seconds_and_keeps_its_data_across_a_restart(tmp_path):
    data = tmp_path / "embedded"
    cmd = [
        sys.executable,
        "-m",
        "contigo.cli",
        "up",
        "--port",
        "18000",
        "--smtp-port",
        "12525",
        "--data-dir",
        str(data),
    ]
    log = (tmp_path / "up.log").open("w+")

    first = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    try:
        took, body = wait_healthy("http://127.0.0.1:18000/health", first, 30)
    finally:
        first_exit = stop(first)
    second = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    try:
        wait_healthy("http://127.0.0.1:18000/health", second, 30)
    finally:
        second_exit = stop(second)
    log.seek(0)
    output = log.read()

    assert took < 30
    assert body["mode"] == "embedded"
    assert set(body["services"]) == {"identity", "access", "documents", "padron", "cases"}
    assert all(s["status"] == "ok" for s in body["services"].values())
    assert first_exit == 0 and second_exit == 0
    assert "CONTIGO Aliados listo en http://127.0.0.1:18000" in output
    assert "Traceback" not in output
    assert (data / "pg" / "PG_VERSION").exists()
    # The second start found the cluster the first one made instead of a new one.
    assert output.count("Iniciando CONTIGO Aliados") == 2


def test_the_distributed_run_serves_each_service_from_its_own_process(servers, tmp_path):
    env = os.environ | {"CONTIGO_LOG_LEVEL": "INFO"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "contigo.cli", "up", "--distributed", "--smtp-port", "12526"],
        stdout=(tmp_path / "distributed.log").open("w"),
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
        env=env,
        start_new_session=True,
    )
    try:
        _took, body = wait_healthy("http://127.0.0.1:8000/health", proc, 90)
        own = {
            name: get_health(f"http://127.0.0.1:{port}/health")
            for name, port in [
                ("identity", 8001),
                ("access", 8002),
                ("documents", 8003),
                ("padron", 8004),
                ("cases", 8005),
            ]
        }
    finally:
        exit_code = stop(proc, signal.SIGTERM)

    assert body["mode"] == "distributed"
    assert all(s["checks"]["kafka"]["ok"] for s in body["services"].values())
    assert body["services"]["documents"]["checks"]["object_store"]["ok"] is True
    assert all(status == 200 and answer["service"] == name for name, (status, answer) in own.items())
    assert exit_code == 0
