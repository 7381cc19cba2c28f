"""Cases keeps what identity, access and padrón announce as evidence, each fact naming its event (real PostgreSQL)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from faststream.kafka import KafkaBroker

import cases.app
import cases.config
from contracts import encode, topics
from contracts.events import (
    AccessObserved,
    AccessRequested,
    CredentialsIssued,
    CredentialsRevoked,
    DistrictCount,
    Jurisdiction,
    PadronPublished,
    Person,
    Responsible,
)
from eventkit.messages import wrap
from eventkit.testing import serve_in_memory

pytestmark = pytest.mark.integration

DISTRICT = Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090101")


@contextlib.asynccontextmanager
async def cases_service(database_url: str) -> AsyncIterator[tuple]:
    settings = cases.config.Settings(database_url=database_url)
    broker = KafkaBroker("test", logger=None)
    app = cases.app.create_app(settings, broker, own_broker=False)
    async with serve_in_memory(app):

        async def publish(topic: str, payload, key: uuid.UUID):
            envelope = wrap(payload, key=str(key))
            await broker.publish(encode(envelope), topic=topic, key=str(key).encode())
            return envelope

        yield publish, app.state.host.pool


async def test_a_requests_steps_an_account_issued_and_revoked_and_a_padron_are_kept_with_their_events(database_url):
    request_id, account_id, padron_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    requested = AccessRequested(
        request_id=request_id,
        code="SA-2022-000777",
        attempt=1,
        jurisdiction=DISTRICT,
        authority=Person(dni="12345678", names="ALCALDE DE PRUEBA"),
        authority_role="ALCALDE",
        responsible=Responsible(
            dni="87654321", names="RESPONSABLE DE PRUEBA", office="OMAPED", position="Jefa", email="x@example.pe"
        ),
    )
    observed = AccessObserved(
        request_id=request_id, evaluator_id="evaluador", jurisdiction=DISTRICT, observations=["Falta el sello."]
    )
    now = datetime.now(UTC)
    issued = CredentialsIssued(
        account_id=account_id, username="gl090101", jurisdiction=DISTRICT, request_id=request_id, issued_at=now
    )
    revoked = CredentialsRevoked(
        account_id=account_id,
        username="gl090101",
        jurisdiction=DISTRICT,
        request_id=request_id,
        reason="Nueva autoridad",
        revoked_at=now,
    )
    padron = PadronPublished(
        padron_id=padron_id,
        period="2022-IV",
        resolution_number="RDE N° 100-2022",
        resolution_date=date(2022, 7, 1),
        counts=[DistrictCount(ubigeo="090101", category="CONTINUADOR", count=12)],
    )
    async with cases_service(database_url) as (publish, pool):
        sent = await publish(topics.ACCESS_REQUEST, requested, request_id)
        await publish(topics.ACCESS_REQUEST, observed, request_id)
        issued_envelope = await publish(topics.IDENTITY_ACCOUNT, issued, account_id)
        await publish(topics.IDENTITY_ACCOUNT, revoked, account_id)
        published = await publish(topics.PADRON_PADRON, padron, padron_id)
        again = await publish(topics.PADRON_PADRON, padron, padron_id)

        steps = await pool.fetch(
            "select event_id, step, reason from access_request_history where request_id = $1 order by occurred_at",
            request_id,
        )
        request = await pool.fetchrow("select office, position from access_requests where request_id = $1", request_id)
        account = await pool.fetchrow(
            "select issued_event, revoke_reason from ally_accounts where account_id = $1", account_id
        )
        counts = await pool.fetch("select ubigeo, category, count from padron_counts where padron_id = $1", padron_id)
        publication = await pool.fetchval("select event_id from padron_publications where padron_id = $1", padron_id)

    assert [(s["step"], s["reason"]) for s in steps] == [("ENVIADA", None), ("OBSERVADA", "Falta el sello.")]
    assert steps[0]["event_id"] == sent.event_id
    assert (request["office"], request["position"]) == ("OMAPED", "Jefa")
    assert account["issued_event"] == issued_envelope.event_id
    assert account["revoke_reason"] == "Nueva autoridad"
    assert [tuple(c) for c in counts] == [("090101", "CONTINUADOR", 12)]
    assert publication == published.event_id != again.event_id
