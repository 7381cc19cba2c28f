"""The distributed run on one machine: local Kafka, PostgreSQL and MinIO from deploy/local,
then each service as its own OS process, the gateway in front and the web application beside it."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from authkit import load_or_create_private_key, public_path
from contigo.dbroles import local_passwords, password_variable, service_url
from contigo.embedded import captcha_key
from contigo.processes import Children, StopRequestedError, port_free, stop_on_signals
from contigo.services import GATEWAY_PORT, SERVICES, WEB_PORT

REPO = Path(__file__).resolve().parents[3]
SERVERS = REPO / "deploy" / "local" / "servers.sh"


def _state_dir() -> Path:
    cache = Path(os.environ.get("CONTIGO_CACHE") or Path.home() / ".cache/contigo")
    return Path(os.environ.get("CONTIGO_STATE") or cache / "state")


def _servers_env() -> dict[str, str]:
    state = _state_dir()
    env = {}
    for line in (state / "servers.env").read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.removeprefix("export ").split("=", 1)
            env[key] = value.strip().strip('"')
    return env


def _wait_health(url: str, timeout_s: float, children: Children) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not children.exited():
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def up(log_dir: Path, smtp_port: int = 2525) -> int:
    """Run until SIGINT, SIGTERM or SIGHUP, then stop every child; the local servers stay up.

    Each child is also told to end when this process dies, so a SIGKILL of the run leaves none of
    them holding its ports or its consumer groups.
    """
    children = Children()
    with stop_on_signals():
        try:
            return _run(log_dir, smtp_port, children)
        except StopRequestedError:
            return 0
        finally:
            children.stop()
            print("CONTIGO Aliados detenido.", flush=True)


def _run(log_dir: Path, smtp_port: int, children: Children) -> int:
    busy = [p for p in [GATEWAY_PORT, WEB_PORT, smtp_port, *(s.port for s in SERVICES)] if not port_free(p)]
    if busy:
        print(f"contigo: port(s) {', '.join(map(str, busy))} already in use on 127.0.0.1; stop what holds them first")
        return 1
    subprocess.run(["bash", str(SERVERS), "start"], check=True)
    log_dir.mkdir(parents=True, exist_ok=True)
    key_file = log_dir / "keys" / "token.pem"
    load_or_create_private_key(key_file)
    password = os.environ.get("CONTIGO_DEMO_STAFF_PASSWORD") or secrets.token_urlsafe(12)
    env = (
        os.environ
        | _servers_env()
        | {
            "CONTIGO_SMTP_HOST": "127.0.0.1",
            "CONTIGO_SMTP_PORT": str(smtp_port),
            "CONTIGO_TOKEN_KEY_FILE": str(key_file),
            "CONTIGO_TOKEN_PUBLIC_KEY_FILE": str(public_path(key_file)),
            "CONTIGO_DEMO_STAFF_PASSWORD": password,
            # Every access process checks the ALTCHA challenges with one key, kept in the data folder.
            "CONTIGO_CAPTCHA_HMAC_KEY": captcha_key(log_dir),
            "CONTIGO_DEV_MAIL_DIR": str(log_dir / "mail"),
            # The web application: a client of the gateway, on http://127.0.0.1 (so no Secure cookies).
            "CONTIGO_GATEWAY_URL": f"http://127.0.0.1:{GATEWAY_PORT}",
            "CONTIGO_SECURE_COOKIES": "false",
            # Shared by the gateway and the web: the web vouches for each person's address with it.
            "CONTIGO_PROXY_KEY": secrets.token_urlsafe(32),
            # A local run: the web shows the caught mail at /correo, and the gateway sends the
            # verification address printed in the DDCs (the gateway's /verificar) to the web's page.
            "CONTIGO_DEV_MAIL": "true",
            "CONTIGO_WEB_URL": f"http://127.0.0.1:{WEB_PORT}",
        }
    )
    # The database: init creates the roles and migrates as the owner, with the administrator's URL
    # (CONTIGO_ADMIN_DATABASE_URL when set, e.g. another database of the local server; else its own);
    # each service gets only its own role's URL and password (kept with the local servers' state,
    # as the roles belong to that server); the gateway and the web get no database at all.
    admin_url = os.environ.get("CONTIGO_ADMIN_DATABASE_URL") or env["CONTIGO_DATABASE_URL"]
    passwords = local_passwords(_state_dir() / "db-roles", [s.name for s in SERVICES])
    env = {k: v for k, v in env.items() if k not in ("CONTIGO_DATABASE_URL", "CONTIGO_ADMIN_DATABASE_URL")}
    env = {k: v for k, v in env.items() if not k.startswith("CONTIGO_DB_PASSWORD_")}
    init_env = env | {"CONTIGO_ADMIN_DATABASE_URL": admin_url} | {password_variable(n): p for n, p in passwords.items()}
    service_env = {
        s.name: env | {"CONTIGO_DATABASE_URL": service_url(admin_url, s.name, passwords[s.name])} for s in SERVICES
    }
    exe = [sys.executable, "-m", "contigo.cli"]
    init = children.spawn("init", [*exe, "init"], env=init_env)
    if init.wait() != 0:
        print(f"contigo: init failed with exit code {init.returncode}")
        return 1
    children.started.clear()

    def spawn(name: str, args: list[str]) -> None:
        with (log_dir / f"{name}.log").open("ab") as log:
            children.spawn(name, [*exe, *args], env=service_env.get(name, env), output=log)

    spawn("mail-catcher", ["mail-catcher", "--port", str(smtp_port), "--folder", str(log_dir / "mail")])
    for s in SERVICES:
        spawn(s.name, ["serve", s.name, "--port", str(s.port)])
    spawn("gateway", ["serve", "gateway", "--port", str(GATEWAY_PORT)])
    spawn("web", ["serve", "web", "--port", str(WEB_PORT)])
    url = f"http://127.0.0.1:{GATEWAY_PORT}"
    web_url = f"http://127.0.0.1:{WEB_PORT}"
    if _wait_health(f"{url}/health", 60, children) and _wait_health(f"{web_url}/health", 30, children):
        print(f"CONTIGO Aliados (distribuido) listo en {url} — salud en {url}/health; registros en {log_dir}")
        print(f"USUARIO ALIADO (aplicación web) en {web_url}/ — correos recibidos en {web_url}/correo")
        print(f"Cuentas demo del personal: evaluador / {password}   admin / {password}")
    else:
        print(f"CONTIGO Aliados no respondió sano en 60 s; vea {url}/health y los registros en {log_dir}")
    print("Ctrl-C para detener los servicios (los servidores siguen: deploy/local/servers.sh stop).", flush=True)
    while not (ended := children.exited()):
        time.sleep(0.5)
    for child in ended:
        print(f"contigo: {child.name} terminó con código {child.process.returncode}; vea {log_dir / child.name}.log")
    return 1
