"""A real Chromium (Debian's, found by deploy/local/browser.sh) driving the web application over HTTP.

Each test that takes ``person`` runs twice: in a browser with JavaScript and in one without it,
since every page must work either way.

Checking a page with axe-core (``axe``): in a browser with JavaScript the check runs in the person's
own page, through Playwright's ``evaluate`` (the DevTools protocol, which the page's Content Security
Policy does not govern, so the policy stays on for the person). A browser without JavaScript cannot
run axe: Chromium still evaluates the protocol's expressions there, but axe waits on timers that
never fire while scripting is off, so the check would hang. There the check takes the page as the
person sees it (its DOM, ``page.content()``) into a separate checker page with JavaScript, served at
the same address (so the same stylesheet and cookies apply) with the site's own scripts refused,
and runs axe on that copy. The copy is what the person without JavaScript was shown; the one thing
it would render differently is ``<noscript>``, which no page uses.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Route, sync_playwright

from contigo.embedded import demo_password, running
from contigo.mailcatcher import start_mail_catcher
from web.app import create_app
from web.config import Settings

REPO = Path(__file__).resolve().parents[4]
AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# As the machine notes say: without these, Chromium keeps knocking on the closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS: list[Path] = []
# Whether each person's browser runs JavaScript (Playwright does not say it of a context).
JAVASCRIPT: weakref.WeakKeyDictionary[BrowserContext, bool] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Live:
    """The live system of the browser tests: its address, and the demo staff accounts' password
    (``evaluador`` and ``admin``)."""

    url: str
    staff_password: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    result = subprocess.run(
        ["bash", str(REPO / "deploy/local/browser.sh")], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"deploy/local/browser.sh found no Chromium:\n{result.stderr}", pytrace=False)
    return result.stdout.strip().splitlines()[-1]


def _serve(app) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="web-under-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web application did not start", pytrace=False)
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


SETTINGS = Settings(gateway_url="http://127.0.0.1:9", cookie_secret="prueba-" * 6, secure_cookies=False)


@pytest.fixture(scope="session")
def web_url() -> Iterator[str]:
    """The web application on its own port, with no gateway: for the pages that do not call it."""
    yield from _serve(create_app(SETTINGS))


@pytest.fixture(scope="module")
def signin_url(module_stand_in) -> Iterator[str]:
    """The web application on its own port, its gateway the stand-in of ``tests/conftest.py``
    (``httpx.MockTransport`` behind ``gateway=``); no live system is needed."""
    yield from _serve(create_app(SETTINGS, gateway=module_stand_in.client()))


@pytest.fixture(scope="session")
def live_url(live: Live) -> str:
    return live.url


@pytest.fixture(scope="session")
def live(own_database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The whole system, live: every service in-process (``contigo.embedded.running``, in-memory broker)
    on a PostgreSQL database of its own (on the session's, its relays would publish other tests'
    outboxes into its broker, and their objects would land in its folder), a fresh data folder, a
    mail catcher, and the site (the gateway's routes and the web application, which reaches the
    gateway in-process) on a free port.

    It runs in a thread of its own with its own event loop, so it may live the whole session: the
    sync Playwright fixtures below keep their loop in the test thread, not in this one.
    """
    with own_database() as database_url:
        yield from _live_site(database_url, tmp_path_factory)


def _live_site(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    data_dir = tmp_path_factory.mktemp("contigo-data")
    smtp_port, port = _free_port(), _free_port()
    mail = start_mail_catcher(data_dir / "mail", port=smtp_port)
    holder: dict[str, object] = {}

    async def serve() -> None:
        # Every person of every browser test comes from 127.0.0.1: one person to the gateway's rate
        # limit, unless it is raised to what the whole session asks in a minute.
        async with running(
            data_dir,
            database_url,
            smtp_port=smtp_port,
            public_url=f"http://127.0.0.1:{port}",
            rate_limit_per_minute=2000,
        ) as system:
            await asyncio.gather(*(app.state.host.wait_ready(60) for app in system.services.values()))
            server = uvicorn.Server(
                uvicorn.Config(system.site, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
            )
            holder["server"] = server
            await server.serve()

    def run() -> None:
        try:
            asyncio.run(serve())
        except BaseException as exc:  # noqa: BLE001 - the fixture reports it
            holder["error"] = exc

    thread = threading.Thread(target=run, name="system-under-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not getattr(holder.get("server"), "started", False):
        if time.monotonic() > deadline or not thread.is_alive():
            mail.stop()
            pytest.fail(f"the embedded system did not start: {holder.get('error')!r}", pytrace=False)
        time.sleep(0.1)
    yield Live(url=f"http://127.0.0.1:{port}", staff_password=demo_password(data_dir))
    holder["server"].should_exit = True  # type: ignore[attr-defined]
    thread.join(30)
    mail.stop()


# Module scope, not session: Playwright's sync API keeps an event loop running in this thread while
# it is open, and the asyncio tests of the modules after this one need the thread free of it.
@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright, chromium_path: str) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(params=[True, False], ids=["con JavaScript", "sin JavaScript"])
def context(request: pytest.FixtureRequest, browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(java_script_enabled=request.param, locale="es-PE")
    context.set_default_timeout(10_000)
    JAVASCRIPT[context] = request.param
    yield context
    context.close()


@pytest.fixture
def javascript(context: BrowserContext) -> str:
    """How the person's browser runs, in words for file names: ``con-js`` or ``sin-js``."""
    return "con-js" if JAVASCRIPT[context] else "sin-js"


@pytest.fixture
def person(context: BrowserContext) -> Page:
    """A person's browser tab, with JavaScript on in one run of the test and off in the other."""
    return context.new_page()


def _run_axe(page: Page) -> list[dict]:
    options = json.dumps({"runOnly": {"type": "tag", "values": WCAG_21_A_AA}})
    found = "r => r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))"
    return page.evaluate(f"{AXE}\n;axe.run(document, {options}).then({found})")


def _refuse_scripts(route: Route) -> None:
    if route.request.resource_type == "script":
        route.abort()
    else:
        route.fallback()


@pytest.fixture(scope="module")
def axe(browser: Browser) -> Iterator[Callable[[Page], list[dict]]]:
    """``axe(page)``: the WCAG 2.1 A and AA violations of what ``page`` shows now (see the module's note)."""
    checker_context = browser.new_context(java_script_enabled=True)

    def check(page: Page) -> list[dict]:
        if JAVASCRIPT.get(page.context, False):
            return _run_axe(page)
        html, url = page.content(), page.url
        checker_context.clear_cookies()
        checker_context.add_cookies(page.context.cookies())
        checker = checker_context.new_page()
        try:
            checker.route(url, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
            checker.route("**/*", _refuse_scripts)
            checker.goto(url)
            return _run_axe(checker)
        finally:
            checker.close()

    yield check
    checker_context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Page, str], Path]:
    """``screenshots(page, name)`` keeps a PNG in one folder, named at the end of the run."""
    folder = Path(os.environ.get("CONTIGO_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)

    def take(page: Page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        SCREENSHOTS.append(path)
        return path

    return take


def pytest_terminal_summary(terminalreporter) -> None:
    if SCREENSHOTS:
        terminalreporter.write_line(f"browser screenshots: {SCREENSHOTS[0].parent}")
