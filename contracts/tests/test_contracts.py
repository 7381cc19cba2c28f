"""Contracts: schema snapshots guard versions; the envelope round-trips."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import msgspec
import pytest

from contracts import CATALOG, Envelope, decode, encode, topics
from contracts.events import AccessRequested, Jurisdiction, Person, Responsible, spec_of
from contracts.schemas import SNAPSHOT_DIR, schema_text, snapshot_path

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("spec", CATALOG.values(), ids=lambda s: f"{s.type}.v{s.version}")
def test_an_event_schema_never_changes_within_its_version(spec):
    path = snapshot_path(spec)

    assert path.exists(), f"{path.name} missing: run `uv run python -m contracts.schemas` and commit it"
    assert schema_text(spec) == path.read_text(encoding="utf-8"), (
        f"the schema of {spec.type} v{spec.version} changed; a breaking change needs a new version"
    )


def test_every_snapshot_belongs_to_a_registered_event_version():
    registered = {snapshot_path(spec).name for spec in CATALOG.values()}

    orphans = {p.name for p in SNAPSHOT_DIR.glob("*.json")} - registered

    assert orphans == set(), f"snapshots without an event: {sorted(orphans)} (versions are never removed)"


def test_every_event_goes_to_a_known_topic():
    assert {spec.topic for spec in CATALOG.values()} <= set(topics.ALL)


def test_no_event_carries_a_password_field():
    fields = {f for spec in CATALOG.values() for f in spec.struct.__struct_fields__}

    assert not any("password" in f or "secret" in f for f in fields)


def test_an_envelope_round_trips_with_its_payload_left_raw_until_read():
    payload = AccessRequested(
        request_id=uuid4(),
        code="SA-2026-000001",
        attempt=1,
        jurisdiction=Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090101"),
        authority=Person(dni="12345678", names="ANA QUISPE"),
        authority_role="ALCALDE",
        responsible=Responsible(
            dni="87654321", names="LUIS MAMANI", office="OMAPED", position="Jefe", email="omaped@example.pe"
        ),
    )
    spec = spec_of(payload)
    envelope = Envelope(
        event_id=uuid4(),
        type=spec.type,
        version=spec.version,
        occurred_at=datetime.now(UTC),
        correlation_id=uuid4(),
        key=str(payload.request_id),
        payload=msgspec.Raw(msgspec.json.encode(payload)),
    )

    back = decode(encode(envelope))

    assert back.type == "AccessRequested"
    assert msgspec.json.decode(back.payload, type=AccessRequested) == payload


def test_a_payload_that_breaks_its_schema_is_refused():
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(b'{"request_id": "not-a-uuid"}', type=AccessRequested)


def test_the_ubigeo_holds_every_region_and_district_of_the_inei_list():
    from contracts import ubigeo

    assert len(ubigeo.regions()) == 25
    assert len(ubigeo.provinces()) == 196
    assert len(ubigeo.districts()) == 1891
    assert ubigeo.describe("09") == "Huancavelica"
    assert ubigeo.describe("090101") == "Huancavelica, Huancavelica, Huancavelica"
    assert not ubigeo.is_district("999999")
