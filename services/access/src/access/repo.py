"""asyncpg adapter of the access service: the requests repository, on the kit's unit of work's connection."""

from __future__ import annotations

import dataclasses
import json
import uuid
from uuid import UUID

import asyncpg
import msgspec

from access.domain import AccessRequest, RequestForm, UploadedDocument

_COLUMNS = (
    "request_id, code, state, form, attempt, authority_result, authority_reason, ddc_ready, ddc_verification_code,"
    " documents, observations, rejection_reason, submitted_at, due_date, evaluator_id, account_username"
)


def _to_domain(row: asyncpg.Record) -> AccessRequest:
    documents = {k: UploadedDocument(**d) for k, d in json.loads(row["documents"]).items()}
    return AccessRequest(
        request_id=row["request_id"],
        code=row["code"],
        form=msgspec.json.decode(row["form"], type=RequestForm),
        state=row["state"],
        attempt=row["attempt"],
        authority_result=row["authority_result"],
        authority_reason=row["authority_reason"],
        ddc_ready=row["ddc_ready"],
        ddc_verification_code=row["ddc_verification_code"],
        documents=documents,
        observations=json.loads(row["observations"]),
        rejection_reason=row["rejection_reason"],
        submitted_at=row["submitted_at"],
        due_date=row["due_date"],
        evaluator_id=row["evaluator_id"],
        account_username=row["account_username"],
    )


class RequestsRepo:
    def __init__(self, conn: asyncpg.Connection):
        self._conn = conn

    async def add(self, request: AccessRequest) -> None:
        await self._conn.execute(
            "insert into access_requests (request_id, code, ally_type, state, form, authority_dni)"
            " values ($1, $2, $3, $4, $5, $6)",
            request.request_id,
            request.code,
            request.form.ally_type,
            request.state,
            msgspec.json.encode(request.form).decode(),
            request.form.authority.dni,
        )

    async def get(self, request_id: UUID) -> AccessRequest | None:
        row = await self._conn.fetchrow(
            f"select {_COLUMNS} from access_requests where request_id = $1 for update", request_id
        )
        return _to_domain(row) if row else None

    async def find_by_code(self, code: str) -> AccessRequest | None:
        row = await self._conn.fetchrow(f"select {_COLUMNS} from access_requests where code = $1", code)
        return _to_domain(row) if row else None

    async def save(self, r: AccessRequest) -> None:
        await self._conn.execute(
            "update access_requests set state = $2, form = $3, authority_dni = $4, attempt = $5,"
            " authority_result = $6, authority_reason = $7, ddc_ready = $8, ddc_verification_code = $9,"
            " documents = $10, observations = $11, rejection_reason = $12, submitted_at = $13, due_date = $14,"
            " evaluator_id = $15, account_username = $16, updated_at = now() where request_id = $1",
            r.request_id,
            r.state,
            msgspec.json.encode(r.form).decode(),
            r.form.authority.dni,
            r.attempt,
            r.authority_result,
            r.authority_reason,
            r.ddc_ready,
            r.ddc_verification_code,
            json.dumps({k: dataclasses.asdict(d) for k, d in r.documents.items()}),
            json.dumps(r.observations, ensure_ascii=False),
            r.rejection_reason,
            r.submitted_at,
            r.due_date,
            r.evaluator_id,
            r.account_username,
        )

    async def record_decision(self, request: AccessRequest, decision: str, evaluator_id: str, detail: dict) -> None:
        await self._conn.execute(
            "insert into decisions (decision_id, request_id, attempt, decision, evaluator_id, detail)"
            " values ($1, $2, $3, $4, $5, $6)",
            uuid.uuid4(),
            request.request_id,
            request.attempt,
            decision,
            evaluator_id,
            json.dumps(detail, ensure_ascii=False),
        )

    async def claim_captcha(self, signature: str) -> bool:
        return bool(
            await self._conn.fetchval(
                "insert into used_captchas (signature) values ($1) on conflict do nothing returning true", signature
            )
        )

    async def queue(self) -> list[AccessRequest]:
        rows = await self._conn.fetch(
            f"select {_COLUMNS} from access_requests where state = 'PENDING_EVALUATION' order by due_date, submitted_at"
        )
        return [_to_domain(r) for r in rows]
