"""What every padrón route needs: a transaction, and the caller's scope from their token."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import asyncpg
from litestar import Request

from authkit import TokenError, Verifier, bearer
from eventkit.host import ServiceHost
from eventkit.http import UserError
from padron import accesslog
from padron.scope import Scope, ScopeError, scope_of


@dataclass
class PadronDeps:
    host: ServiceHost
    verifier: Verifier | None

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """One connection in one open transaction; ScopeError becomes a Spanish 403/404."""
        if self.host.pool is None:
            raise UserError("El servicio está iniciando; intente nuevamente en unos segundos.", 503)
        try:
            async with self.host.pool.acquire() as conn, conn.transaction():
                yield conn
        except ScopeError as exc:
            raise UserError(str(exc), exc.status) from None

    async def deny(self, scope: Scope, resource: str, message: str, status: int = 403) -> None:
        """Log a refused attempt (in a transaction of its own, so it survives) and refuse in Spanish."""
        if self.host.pool is not None:
            async with self.host.pool.acquire() as conn, conn.transaction():
                await accesslog.denied(conn, scope, resource)
        raise UserError(message, status)

    def scope(self, request: Request) -> Scope:
        """The caller's scope, from the token only; no token: 401."""
        if self.verifier is None:
            raise UserError("El padrón no está configurado (falta la clave pública de tokens).", 503)
        try:
            claims = self.verifier.verify(bearer(request.headers.get("authorization")))
        except TokenError:
            raise UserError("Inicie sesión para consultar el padrón.", 401) from None
        try:
            return scope_of(claims)
        except ScopeError as exc:
            raise UserError(str(exc), exc.status) from None
