"""The two ways to run: the README's run command (embedded) and the distributed run each serve a
healthy /health, and however they are stopped (Ctrl-C, a service manager's SIGTERM, a SIGKILL)
nothing they started stays alive or keeps a port."""

from __future__ import annotations

import os
import signal
import urllib.request

import pytest
from running import REPO, get_health, start

pytestmark = pytest.mark.e2e

SERVICE_PORTS = {"identity": 8001, "access": 8002, "documents": 8003, "padron": 8004, "cases": 8005}
WEB_PORT = 8006


def start_page(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def embedded_args(data, port: int, smtp_port: int) -> list[str]:
    return ["--port", str(port), "--smtp-port", str(smtp_port), "--data-dir", str(data)]


def test_the_embedded_run_is_healthy_within_30_seconds_and_keeps_its_data_across_a_restart(tmp_path):
    data = tmp_path / "embedded"
    args = embedded_args(data, 18000, 12525)
    ports = (18000, 12525)
    log = tmp_path / "up.log"

    # The README's own command: bin/run replaces itself with the run, so its pid is the run's.
    first = start(args, cwd=REPO, env=dict(os.environ), ports=ports, log=log, command=[str(REPO / "bin" / "run")])
    took, body = first.wait_healthy("http://127.0.0.1:18000/health", 30)
    page = start_page("http://127.0.0.1:18000/")
    first_children = [p.name() for p in first.tree]
    first_exit = first.stop(signal.SIGINT)
    first_left = first.leftovers()
    second = start(args, cwd=REPO, env=dict(os.environ), ports=ports, log=log)
    second.wait_healthy("http://127.0.0.1:18000/health", 30)
    second_exit = second.stop(signal.SIGTERM)
    second_left = second.leftovers()
    output = second.output()

    assert took < 30
    assert body["mode"] == "embedded"
    assert '<html lang="es"' in page and "Programa CONTIGO — USUARIO ALIADO" in page
    assert set(body["services"]) == {"identity", "access", "documents", "padron", "cases"}
    assert all(s["status"] == "ok" for s in body["services"].values())
    assert "postgres" in first_children
    assert first_exit == 0 and second_exit == 0
    assert first_left == ([], []) and second_left == ([], [])
    assert "CONTIGO Aliados listo en http://127.0.0.1:18000" in output
    assert output.count("CONTIGO Aliados detenido.") == 2
    assert "Traceback" not in output
    assert (data / "pg" / "PG_VERSION").exists()
    # The second start found the cluster the first one made instead of a new one.
    assert output.count("Iniciando CONTIGO Aliados") == 2


def test_a_killed_embedded_run_leaves_no_postgres_behind_and_the_next_start_works(tmp_path):
    data = tmp_path / "embedded"
    args = embedded_args(data, 18001, 12527)
    log = tmp_path / "up.log"
    killed = start(args, cwd=REPO, env=dict(os.environ), ports=(18001, 12527), log=log)
    killed.wait_healthy("http://127.0.0.1:18001/health", 30)
    started_postgres = [p for p in killed.tree if p.name() == "postgres"]

    killed.stop(signal.SIGKILL)
    left_after_kill = killed.leftovers()
    again = start(args, cwd=REPO, env=dict(os.environ), ports=(18001, 12527), log=log)
    again.wait_healthy("http://127.0.0.1:18001/health", 30)
    again_exit = again.stop(signal.SIGTERM)

    assert started_postgres, "the embedded run starts PostgreSQL as its own child"
    assert left_after_kill == ([], [])
    assert again_exit == 0
    assert again.leftovers() == ([], [])


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "sigkill"])
def test_the_distributed_run_serves_each_service_from_its_own_process_and_its_stop_leaves_none(
    servers, tmp_path, stop_signal
):
    env = os.environ | {"CONTIGO_LOG_LEVEL": "INFO"}
    ports = (8000, *SERVICE_PORTS.values(), WEB_PORT, 12526)
    run = start(["--distributed", "--smtp-port", "12526"], cwd=tmp_path, env=env, ports=ports, log=tmp_path / "up.log")
    try:
        _took, body = run.wait_healthy("http://127.0.0.1:8000/health", 90)
        own = {name: get_health(f"http://127.0.0.1:{port}/health") for name, port in SERVICE_PORTS.items()}
        web = run.wait_healthy(f"http://127.0.0.1:{WEB_PORT}/health", 30)[1]
        page = start_page(f"http://127.0.0.1:{WEB_PORT}/")
    finally:
        exit_code = run.stop(stop_signal)
    left = run.leftovers()

    assert body["mode"] == "distributed"
    assert all(s["checks"]["kafka"]["ok"] for s in body["services"].values())
    assert body["services"]["documents"]["checks"]["object_store"]["ok"] is True
    assert all(status == 200 and answer["service"] == name for name, (status, answer) in own.items())
    assert web == {"status": "ok", "service": "web"}
    assert "Programa CONTIGO — USUARIO ALIADO" in page
    assert len(run.tree) >= 8, "mail catcher, five services, gateway and web app, each its own process"
    assert left == ([], [])
    if stop_signal == signal.SIGTERM:
        assert exit_code == 0
        assert "CONTIGO Aliados detenido." in run.output()
