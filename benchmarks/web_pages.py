"""Web pages benchmark: bytes a browser transfers per page, and first-byte latency p50/p95.

    uv run python benchmarks/web_pages.py [--iterations 200] [--warm-up 20]

Starts the embedded system (``contigo.embedded.running``: every service in-process, the in-memory
broker, the synthetic padrón of 80,326 beneficiaries published as V-2022) on a fresh database of
the local PostgreSQL (``deploy/local/servers.sh start``; ``CONTIGO_DATABASE_URL`` or
postgresql://postgres@127.0.0.1:55432/contigo), served by uvicorn on a free port, as the browser
tests do. Signs in the demo evaluator and an approved local-government ally through the pages'
own forms, then for each page:

- bytes: the page's HTML and every stylesheet, script and image it references, fetched as a browser
  would (``Accept-Encoding: gzip, deflate, br``), counted as they come over the wire (compressed
  when the server compresses) and, beside them, uncompressed;
- latency: the time from sending the request to receiving the response's headers (first byte),
  sequentially with one httpx client, after a warm-up, p50 and p95 over ``--iterations``.

Targets: under 100 KB per page; p95 under 50 ms for the dashboard (/panel) and the evaluation
queue. A page that does not exist yet is reported "no disponible (404)". The database and the
data folder are removed at the end. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import platform
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import httpx
import uvicorn
from testkit import api_steps
from testkit.databases import fresh_database

from contigo.embedded import demo_password, running
from contigo.mailcatcher import start_mail_catcher
from eventkit.logs import configure_logging

REPO = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql://postgres@127.0.0.1:55432/contigo"
BROWSER_HEADERS = {"accept": "text/html,*/*", "accept-encoding": "gzip, deflate, br", "accept-language": "es-PE"}
PAGE_BUDGET_BYTES = 100 * 1024
FAST_P95_MS = 50.0
# The ally of the benchmark: a local government of its own (the benchmark's system is its own, too).
ALLY_DISTRICT = "150101"


@dataclass(frozen=True)
class Page:
    path: str
    who: str  # "anon", "evaluator" or "ally"
    label: str
    fast: bool = False  # held to the p95 target
    api: bool = False  # a call of the public API the page makes, timed alone to see where its time goes


@dataclass
class Measured:
    page: Page
    status: int
    wire_bytes: int = 0
    plain_bytes: int = 0
    assets: int = 0
    encoding: str = ""
    p50: float = 0.0
    p95: float = 0.0
    n: int = 0


class Assets(HTMLParser):
    """What a browser fetches after the HTML: stylesheets, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.found.append(a["href"] or "")
        elif tag in ("script", "img") and a.get("src"):
            self.found.append(a["src"] or "")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def embedded_site(database_url: str, data_dir: Path) -> Iterator[tuple[str, str]]:
    """The whole system on a free port, in a thread with its own event loop: (url, staff password)."""
    smtp_port, port = _free_port(), _free_port()
    mail = start_mail_catcher(data_dir / "mail", port=smtp_port)
    holder: dict[str, object] = {}

    async def serve() -> None:
        async with running(data_dir, database_url, smtp_port=smtp_port, public_url=f"http://127.0.0.1:{port}") as s:
            await asyncio.gather(*(app.state.host.wait_ready(120) for app in s.services.values()))
            server = uvicorn.Server(uvicorn.Config(s.site, host="127.0.0.1", port=port, log_level="warning"))
            holder["server"] = server
            await server.serve()

    def run() -> None:
        try:
            asyncio.run(serve())
        except BaseException as exc:  # noqa: BLE001 - reported below
            holder["error"] = exc

    thread = threading.Thread(target=run, name="system-under-benchmark", daemon=True)
    thread.start()
    deadline = time.monotonic() + 300
    try:
        while not getattr(holder.get("server"), "started", False):
            if time.monotonic() > deadline or not thread.is_alive():
                raise SystemExit(f"the embedded system did not start: {holder.get('error')!r}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", demo_password(data_dir)
    finally:
        if "server" in holder:
            holder["server"].should_exit = True  # type: ignore[attr-defined]
        thread.join(60)
        mail.stop()


def sign_in(url: str, username: str, password: str) -> httpx.Client:
    """A browser's session: the sign-in form opened, then sent with its CSRF token."""
    client = httpx.Client(base_url=url, headers=BROWSER_HEADERS, timeout=30)
    form = client.get("/iniciar-sesion")
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form.text)
    if not token:
        raise SystemExit("the sign-in form has no CSRF token")
    answer = client.post(
        "/iniciar-sesion", data={"usuario": username, "contrasena": password, "_csrf_token": token.group(1)}
    )
    if answer.status_code != 303:
        raise SystemExit(f"{username} could not sign in: {answer.status_code} {answer.text[:300]}")
    return client


def transferred(client: httpx.Client, path: str) -> tuple[int, int, int, int, str]:
    """(status, bytes over the wire, bytes uncompressed, assets, the HTML's Content-Encoding)."""
    page = client.get(path)
    if page.status_code != 200:
        return page.status_code, 0, 0, 0, ""
    wire, plain = page.num_bytes_downloaded, len(page.content)
    parser = Assets()
    parser.feed(page.text)
    for src in dict.fromkeys(parser.found):
        asset = client.get(urljoin(str(page.url), src))
        if asset.status_code != 200:
            raise SystemExit(f"{path} references {src}, which answers {asset.status_code}")
        wire, plain = wire + asset.num_bytes_downloaded, plain + len(asset.content)
    return 200, wire, plain, len(set(parser.found)), page.headers.get("content-encoding", "")


def first_byte_ms(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    with client.stream("GET", path) as response:
        elapsed = (time.perf_counter() - started) * 1000
        response.read()
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code} while being timed")
    return elapsed


def measure(clients: dict[str, httpx.Client], page: Page, iterations: int, warm_up: int) -> Measured:
    client = clients[page.who]
    status, wire, plain, assets, encoding = transferred(client, page.path)
    result = Measured(page, status, wire, plain, assets, encoding)
    if status != 200:
        return result
    for _ in range(warm_up):
        first_byte_ms(client, page.path)
    times = sorted(first_byte_ms(client, page.path) for _ in range(iterations))
    result.p50 = statistics.median(times)
    result.p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    result.n = len(times)
    progress(f"{page.label}: {wire:,} B, p50 {result.p50:.1f} ms, p95 {result.p95:.1f} ms")
    return result


def table(results: list[Measured]) -> str:
    width = max(len(r.page.label) for r in results)
    head = f"{'página':<{width}}  {'transferido (objetivo < 100 KB)':<38}  {'sin comprimir':>13}  primer byte"
    lines = [head, "-" * len(head) + "-" * 40]
    for r in results:
        if r.status == 404:
            lines.append(f"{r.page.label:<{width}}  no disponible (404)")
            continue
        if r.status != 200:
            lines.append(f"{r.page.label:<{width}}  respuesta {r.status}: no se midió")
            continue
        if r.page.api:
            timed = f"p50 {r.p50:6.1f} ms  p95 {r.p95:6.1f} ms  (n={r.n})"
            lines.append(f"{r.page.label:<{width}}  {'(JSON, no es una página)':<38}  {'':>13}  {timed}")
            continue
        ok = "OK" if r.wire_bytes < PAGE_BUDGET_BYTES else "NO"
        size = (
            f"{r.wire_bytes / 1024:7.1f} KB {ok:<2} ({1 + r.assets} archivos{', ' + r.encoding if r.encoding else ''})"
        )
        latency = f"p50 {r.p50:6.1f} ms  p95 {r.p95:6.1f} ms"
        if r.page.fast:
            latency += f" {'OK' if r.p95 < FAST_P95_MS else 'NO'} (objetivo p95 < 50 ms)"
        lines.append(f"{r.page.label:<{width}}  {size:<38}  {r.plain_bytes / 1024:10.1f} KB  {latency}  (n={r.n})")
    return "\n".join(lines)


def progress(message: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warm-up", type=int, default=20)
    args = parser.parse_args()
    # As ``contigo up`` runs it: a log line per request would be timed too.
    configure_logging(os.environ.get("CONTIGO_LOG_LEVEL", "WARNING"))
    base = os.environ.get("CONTIGO_DATABASE_URL", DEFAULT_URL)
    with (
        fresh_database(base, prefix="web_bench") as database_url,
        tempfile.TemporaryDirectory(prefix="contigo-web-bench-") as folder,
        embedded_site(database_url, Path(folder)) as (url, staff_password),
    ):
        progress(f"system up at {url}")
        with httpx.Client(base_url=url, timeout=30) as api:
            ally = api_steps.approved_ally(api, staff_password, "GOBIERNO_LOCAL", ALLY_DISTRICT, "bench")
            sent = api_steps.sent_request(api, "GOBIERNO_LOCAL", "150102", "bench-verificar")
            token = api_steps.staff_token(api, staff_password)
        progress(f"ally {ally.username} approved; a DDC to verify: {sent['code']}")
        clients = {
            "anon": httpx.Client(base_url=url, headers=BROWSER_HEADERS, timeout=30),
            "evaluator": sign_in(url, "evaluador", staff_password),
            "ally": sign_in(url, ally.username, ally.password),
            "evaluator-api": httpx.Client(base_url=url, headers={"authorization": f"Bearer {token}"}, timeout=30),
        }
        pages = [
            Page("/", "anon", "/ (inicio)"),
            Page("/solicitar-acceso", "anon", "/solicitar-acceso"),
            Page("/iniciar-sesion", "anon", "/iniciar-sesion"),
            Page("/evaluacion", "evaluator", "/evaluacion (cola, evaluador)", fast=True),
            Page("/api/me", "evaluator-api", "  de ella: GET /api/me (API)", api=True),
            Page("/api/evaluation/queue", "evaluator-api", "  de ella: GET /api/evaluation/queue (API)", api=True),
            Page("/panel", "evaluator", "/panel (evaluador)", fast=True),
            Page("/panel", "ally", "/panel (aliado, gobierno local)", fast=True),
            Page("/beneficiarios", "ally", "/beneficiarios (aliado, gobierno local)"),
            Page("/verificar", "anon", "/verificar (formulario)"),
            Page(f"/verificar?codigo={sent['ddc']['verification_code']}", "anon", "/verificar?codigo=… (respuesta)"),
        ]
        try:
            results = [measure(clients, p, args.iterations, args.warm_up) for p in pages]
        finally:
            for client in clients.values():
                client.close()
    machine = f"{os.cpu_count()} CPU · Python {platform.python_version()}"
    print(f"web pages benchmark {date.today()} · embedded system, 80,326 beneficiaries · {machine}")
    print(f"first byte: sequential httpx GETs after {args.warm_up} warm-up requests; sizes as a browser fetches")
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
