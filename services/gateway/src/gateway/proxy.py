"""Forwarding to the services, and who the caller is (asked of identity on every request)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any

import httpx
from litestar import Request
from litestar.exceptions import HTTPException
from litestar.response import Response

# Room for the multipart envelope around a file of the maximum size (documents allows the same).
MULTIPART_FRAMING = 256 * 1024
# Identity answers a check within a few seconds even while its database is down (then a 503): a longer
# wait is identity itself stuck, and the person should hear so rather than wait on the page.
INTROSPECT_TIMEOUT = httpx.Timeout(10.0, connect=3.0)
_PASSED_HEADERS = ("content-type", "content-disposition", "cache-control", "retry-after")


class GatewayError(HTTPException):
    """A refusal of the gateway itself, with a Spanish ``detail``."""


def _unreachable(service: str) -> GatewayError:
    return GatewayError(
        status_code=503, detail=f"El servicio {service} no responde; intente nuevamente en unos minutos."
    )


def relayed(answer: httpx.Response) -> Response[Any]:
    """A service's answer passed on as it came."""
    passed = {k: v for k, v in answer.headers.items() if k.lower() in _PASSED_HEADERS}
    return Response(answer.content, status_code=answer.status_code, headers=passed, media_type=None)


class Services:
    """The HTTP clients of the services (network, or ASGI transports when embedded)."""

    def __init__(self, clients: Mapping[str, httpx.AsyncClient], max_upload_bytes: int):
        self.clients = clients
        self.max_upload_bytes = max_upload_bytes

    async def forward(
        self,
        service: str,
        request: Request,
        path: str,
        *,
        body: bytes | AsyncIterator[bytes] | None = None,
        authorization: str | None = None,
        params: Mapping[str, str] | None = None,
        client: str | None = None,
    ) -> Response[Any]:
        """``params`` replace the caller's query string (the gateway's own word, not the client's);
        ``client``, whose request it is as the gateway knows it, goes as the only ``X-Forwarded-For``."""
        headers = {"content-type": request.headers.get("content-type", "application/json")}
        if client:
            headers["x-forwarded-for"] = client
        if authorization:
            headers["authorization"] = authorization
        if body is None and request.method in ("POST", "PUT", "PATCH"):
            body = await request.body()
        try:
            answer = await self.clients[service].request(
                request.method,
                path,
                params=dict(request.query_params) if params is None else dict(params),
                content=body,
                headers=headers,
            )
        except httpx.HTTPError:
            raise _unreachable(service) from None
        return relayed(answer)

    async def current_attempt(self, request_id: str, purpose: str) -> int | Response[Any]:
        """The attempt a DDC download or an upload belongs to, as access (which owns it) says now;
        access's refusal (unknown, not sent, observed, DDC still being generated) as it answered."""
        try:
            answer = await self.clients["access"].get(
                f"/access-requests/{request_id}/current-attempt", params={"purpose": purpose}
            )
        except httpx.HTTPError:
            raise _unreachable("access") from None
        if answer.status_code != 200:
            return relayed(answer)
        return int(answer.json()["attempt"])

    async def caller(self, request: Request, roles: tuple[str, ...] | None = None) -> tuple[dict[str, Any], str]:
        """The verified claims of the bearer token; revoked accounts are refused at once."""
        authorization = request.headers.get("authorization", "")
        if not authorization.lower().startswith("bearer "):
            raise GatewayError(status_code=401, detail="Inicie sesión para continuar.")
        verdict = await self._introspect(authorization[7:].strip())
        if not verdict.get("active"):
            raise GatewayError(
                status_code=401, detail="Sesión no válida, vencida o revocada; inicie sesión nuevamente."
            )
        claims = verdict.get("claims", {})
        if roles and claims.get("role") not in roles:
            raise GatewayError(status_code=403, detail="Su cuenta no tiene permiso para esta acción.")
        return claims, authorization

    async def _introspect(self, token: str) -> dict[str, Any]:
        """Identity's verdict on ``token``; only identity's refusal means the token is not valid.

        A 200 says whether the token is active, a 401 that it is refused. Anything else (identity down,
        its database restarting: a 5xx, a timeout, a body that is not its verdict) says nothing of the
        token, so the person is not signed out: a 503 asks them to try again.
        """
        cannot_check = GatewayError(status_code=503, detail="No se pudo verificar la sesión; intente nuevamente.")
        try:
            answer = await self.clients["identity"].post(
                "/auth/introspect", json={"token": token}, timeout=INTROSPECT_TIMEOUT
            )
        except httpx.HTTPError:
            raise cannot_check from None
        if answer.status_code == 401:
            return {"active": False}
        if answer.status_code != 200:
            raise cannot_check
        try:
            verdict = answer.json()
        except ValueError:
            raise cannot_check from None
        if not isinstance(verdict, dict) or not isinstance(verdict.get("active"), bool):
            raise cannot_check
        return verdict

    async def limited_stream(self, request: Request) -> AsyncIterator[bytes]:
        """The request body as it arrives, refused once it passes the upload limit."""
        seen = 0
        async for chunk in request.stream():
            seen += len(chunk)
            if seen > self.max_upload_bytes + MULTIPART_FRAMING:
                raise GatewayError(status_code=413, detail="El archivo supera el límite de 10 MB.")
            yield chunk
