"""A stand-in for the gateway's public API, as much of it as the sign-in pages use.

It answers as the OpenAPI document (services/gateway/src/gateway/openapi.json) says: ``POST
/api/auth/login`` with a token or a Spanish refusal, ``GET /api/me`` and ``GET /api/evaluation/queue``
with the bearer token, 401 once a token is revoked. Both the unit tests (through the test client)
and the browser tests (behind a real port) reach it through ``httpx.MockTransport``.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

PASSWORD = "clave-de-prueba-1"
ACCOUNTS: dict[str, dict[str, Any]] = {
    "evaluador": {"sub": "staff-1", "username": "evaluador", "role": "EVALUATOR"},
    "admin": {"sub": "staff-2", "username": "admin", "role": "ADMIN"},
    "omaped.miraflores": {
        "sub": "ally-1",
        "username": "omaped.miraflores",
        "role": "ALLY",
        "ally_type": "GOBIERNO_LOCAL",
        "ubigeo": "150122",
    },
}
LOGIN_REFUSED = "Usuario o contraseña incorrectos."
SESSION_REFUSED = "Sesión no válida, vencida o revocada; inicie sesión nuevamente."


def request_view(code: str, ally_type: str, label: str, jurisdiction: str, due: date, *, overdue: bool) -> dict:
    """The fields of a RequestView the queue page reads (the real one has more)."""
    return {
        "code": code,
        "ally_type": ally_type,
        "ally_type_label": label,
        "jurisdiction_label": jurisdiction,
        "due_date": due.isoformat(),
        "overdue": overdue,
        "state": "PENDING_EVALUATION",
        "state_label": "Pendiente de evaluación",
    }


def queue_around(today: date) -> list[dict]:
    """One request due later, one overdue, one due today, deliberately out of order."""
    return [
        request_view(
            "SOL-2026-000030",
            "OTRO_ALIADO",
            "Otro aliado estratégico",
            "CONADIS",
            today + timedelta(days=3),
            overdue=False,
        ),
        request_view(
            "SOL-2026-000010",
            "GOBIERNO_LOCAL",
            "Gobierno local",
            "Lima / Lima / Miraflores",
            today - timedelta(days=2),
            overdue=True,
        ),
        request_view("SOL-2026-000020", "GOBIERNO_REGIONAL", "Gobierno regional", "Cusco", today, overdue=False),
    ]


def _refusal(status: int, detail: str, errors: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, json={"detail": detail, "errors": errors})


@dataclass
class StandInGateway:
    queue: list[dict] = field(default_factory=list)
    tokens: dict[str, str] = field(default_factory=dict)
    # Set to 429 to answer every login with "too many requests".
    login_status: int = 0
    calls: list[tuple[str, str, str]] = field(default_factory=list)
    password: str = PASSWORD
    login_refused: str = LOGIN_REFUSED

    def fill_queue(self, today: date) -> None:
        self.queue = queue_around(today)

    def revoke(self, username: str) -> None:
        self.tokens = {t: u for t, u in self.tokens.items() if u != username}

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.answer), base_url="http://gateway.test")

    def answer(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.calls.append((request.method, path, request.headers.get("authorization", "")))
        if request.method == "POST" and path == "/api/auth/login":
            return self._login(json.loads(request.content or b"{}"))
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        username = self.tokens.get(token)
        if username is None:
            return _refusal(401, SESSION_REFUSED)
        claims = ACCOUNTS[username]
        if path == "/api/me":
            return httpx.Response(200, json=claims)
        if path == "/api/evaluation/queue":
            if claims["role"] not in ("EVALUATOR", "ADMIN"):
                return _refusal(403, "Solo el personal evaluador puede ver y decidir solicitudes.")
            return httpx.Response(200, json=self.queue)
        return _refusal(404, "No existe.")

    def _login(self, body: dict[str, Any]) -> httpx.Response:
        if self.login_status == 429:
            return _refusal(429, "Demasiadas solicitudes; espere un minuto.")
        missing = {name: "Es obligatorio." for name in ("username", "password") if not body.get(name)}
        if missing:
            return _refusal(422, "Hay datos que faltan o no son válidos.", missing)
        if body["username"] not in ACCOUNTS or body["password"] != PASSWORD:
            return _refusal(401, LOGIN_REFUSED)
        token = secrets.token_urlsafe(16)
        self.tokens[token] = body["username"]
        return httpx.Response(200, json={"access_token": token, "expires_in": 3600, "token_type": "Bearer"})


@pytest.fixture
def stand_in() -> StandInGateway:
    return StandInGateway()


@pytest.fixture(scope="module")
def module_stand_in() -> StandInGateway:
    """One stand-in for a module's tests (the browser tests serve one web application per module)."""
    return StandInGateway()
