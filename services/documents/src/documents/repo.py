"""asyncpg repository of the documents service: plain SQL on the kit's unit of work, events into its outbox."""

from __future__ import annotations

from uuid import UUID

import asyncpg

from contracts import Event
from documents.domain import AnswerDocument, IssuedDocument, KnownRequest, Upload, UploadKind
from eventkit.uow import UnitOfWork

_DOCUMENT_COLUMNS = (
    "document_id, request_id, attempt, kind, object_key, sha256, size, verification_code, request_code, issued_at"
)


_UPLOAD_COLUMNS = (
    "upload_id, request_id, attempt, kind, object_key, sha256, size, digitally_signed, signer, intact, uploaded_at"
)


class DocumentsPgRepo:
    """The repository inside the kit's unit of work: its SQL on ``uow.conn``, its events into ``uow``'s outbox."""

    def __init__(self, uow: UnitOfWork):
        self._uow = uow
        self._conn = uow.conn

    async def remember_request(self, request: KnownRequest) -> None:
        # A late redelivery of an older attempt never moves the request back.
        await self._conn.execute(
            "insert into requests (request_id, code, ally_type, attempt) values ($1, $2, $3, $4)"
            " on conflict (request_id) do update set code = excluded.code, ally_type = excluded.ally_type,"
            " attempt = greatest(requests.attempt, excluded.attempt), updated_at = now()",
            request.request_id,
            request.code,
            request.ally_type,
            request.attempt,
        )

    async def get_request(self, request_id: UUID) -> KnownRequest | None:
        row = await self._conn.fetchrow(
            "select request_id, code, ally_type, attempt from requests where request_id = $1", request_id
        )
        return KnownRequest(row["request_id"], row["code"], row["ally_type"], row["attempt"]) if row else None

    async def lock_request(self, request_id: UUID) -> KnownRequest | None:
        """As ``get_request``, holding the row until the transaction ends so no new attempt lands meanwhile."""
        row = await self._conn.fetchrow(
            "select request_id, code, ally_type, attempt from requests where request_id = $1 for share", request_id
        )
        return KnownRequest(row["request_id"], row["code"], row["ally_type"], row["attempt"]) if row else None

    async def find_ddc(self, request_id: UUID, attempt: int) -> IssuedDocument | None:
        row = await self._conn.fetchrow(
            f"select {_DOCUMENT_COLUMNS} from documents where request_id = $1 and attempt = $2 and kind = 'DDC'",
            request_id,
            attempt,
        )
        return _document(row) if row else None

    async def add_document(self, document: IssuedDocument) -> bool:
        """False when this request's attempt already has its document (a concurrent delivery won)."""
        inserted = await self._conn.fetchval(
            f"insert into documents ({_DOCUMENT_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            " on conflict (request_id, attempt, kind) do nothing returning true",
            document.document_id,
            document.request_id,
            document.attempt,
            document.kind,
            document.object_key,
            document.sha256,
            document.size,
            document.verification_code,
            document.request_code,
            document.issued_at,
        )
        return bool(inserted)

    async def find_by_code(self, code: str) -> IssuedDocument | None:
        row = await self._conn.fetchrow(f"select {_DOCUMENT_COLUMNS} from documents where verification_code = $1", code)
        return _document(row) if row else None

    async def add_upload(self, upload: Upload) -> None:
        await self._conn.execute(
            "insert into uploads (upload_id, request_id, attempt, kind, object_key, sha256, size,"
            " digitally_signed, signer, intact, uploaded_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            upload.upload_id,
            upload.request_id,
            upload.attempt,
            upload.kind,
            upload.object_key,
            upload.sha256,
            upload.size,
            upload.digitally_signed,
            upload.signer,
            upload.intact,
            upload.uploaded_at,
        )

    async def latest_upload(
        self, request_id: UUID, attempt: int, kind: UploadKind, sha256: str | None = None
    ) -> Upload | None:
        row = await self._conn.fetchrow(
            f"select {_UPLOAD_COLUMNS} from uploads where request_id = $1 and attempt = $2 and kind = $3"
            " and ($4::text is null or sha256 = $4) order by uploaded_at desc, upload_id limit 1",
            request_id,
            attempt,
            kind,
            sha256,
        )
        return Upload(**dict(row)) if row else None

    async def uploads_of(self, request_id: UUID) -> list[Upload]:
        rows = await self._conn.fetch(
            f"select {_UPLOAD_COLUMNS} from uploads where request_id = $1 order by uploaded_at, upload_id", request_id
        )
        return [Upload(**dict(row)) for row in rows]

    async def find_answer_document(self, response_id: UUID, kind: str) -> AnswerDocument | None:
        row = await self._conn.fetchrow(
            f"select {_ANSWER_COLUMNS} from answer_documents where response_id = $1 and kind = $2", response_id, kind
        )
        return AnswerDocument(**dict(row)) if row else None

    async def answer_document_by_code(self, code: str) -> AnswerDocument | None:
        row = await self._conn.fetchrow(
            f"select {_ANSWER_COLUMNS} from answer_documents where verification_code = $1", code
        )
        return AnswerDocument(**dict(row)) if row else None

    async def add_answer_document(self, d: AnswerDocument) -> bool:
        """False when this answer already has a document of this kind (a concurrent delivery won)."""
        inserted = await self._conn.fetchval(
            f"insert into answer_documents ({_ANSWER_COLUMNS})"
            " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
            " on conflict (response_id, kind) do nothing returning true",
            d.document_id, d.response_id, d.kind, d.number, d.title, d.object_key, d.sha256, d.size,
            d.verification_code, d.signer_name, d.signer_role, d.issued_at,
        )  # fmt: skip
        return bool(inserted)

    async def emit(self, payload: Event, *, key: str) -> None:
        await self._uow.emit(payload, key)


_ANSWER_COLUMNS = (
    "document_id, response_id, kind, number, title, object_key, sha256, size, verification_code, signer_name,"
    " signer_role, issued_at"
)


def _document(row: asyncpg.Record) -> IssuedDocument:
    return IssuedDocument(
        row["document_id"],
        row["request_id"],
        row["attempt"],
        row["kind"],
        row["object_key"],
        row["sha256"],
        row["size"],
        row["verification_code"],
        row["request_code"],
        row["issued_at"],
    )
