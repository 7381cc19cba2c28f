"""The look-up routes answer from the shipped registries, in Spanish when they refuse (no servers)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from faststream.kafka import KafkaBroker
from litestar.testing import AsyncTestClient

from eventkit.clock import FixedClock
from eventkit.settings import ConfigError
from identity.adapters.registries import FileAuthorityRegister
from identity.app import create_app
from identity.config import Settings

pytestmark = pytest.mark.unit

NOWHERE = "postgresql://nobody@127.0.0.1:1/none"


@pytest.fixture
async def client(tmp_path):
    settings = Settings(database_url=NOWHERE, token_key_file=str(tmp_path / "token.pem"))
    app = create_app(settings, KafkaBroker("127.0.0.1:1"), own_broker=False, clock=FixedClock(date(2025, 6, 1)))
    async with AsyncTestClient(app) as client:
        yield client


async def test_a_dni_in_the_register_gives_the_names(client):
    response = await client.get("/citizens/10055184")

    assert response.status_code == 200
    assert response.json() == {"dni": "10055184", "names": "APAZA YAURI, EDGAR ALEX"}


async def test_a_malformed_dni_and_an_unknown_dni_are_refused_in_spanish(client):
    malformed = await client.get("/citizens/1234")
    unknown = await client.get("/citizens/00000001")

    assert malformed.status_code == 422
    assert malformed.json()["detail"] == "El DNI debe tener 8 dígitos."
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "No se encontró el DNI en el registro de identidad."}


async def test_the_current_mayor_governor_and_head_of_entity_are_found(client):
    head = FileAuthorityRegister().current("TITULAR", "20000802256", date(2025, 6, 1))

    mayor = (await client.get("/authorities", params={"ubigeo": "090201"})).json()
    governor = (await client.get("/authorities", params={"ubigeo": "09"})).json()
    entity = (await client.get("/authorities", params={"ruc": "20000802256"})).json()

    assert (mayor["role"], mayor["period"], mayor["jurisdiction"]) == ("ALCALDE PROVINCIAL", "2023-2026", "090201")
    assert governor["role"] == "GOBERNADOR REGIONAL" and "entity_name" not in governor
    assert (entity["dni"], entity["entity_name"]) == (head.dni, head.entity_name)


async def test_an_authority_query_without_a_valid_place_is_refused(client):
    nothing = await client.get("/authorities")
    bad_ubigeo = await client.get("/authorities", params={"ubigeo": "999"})
    unknown_ruc = await client.get("/authorities", params={"ruc": "20131312955"})

    assert nothing.status_code == 422 and bad_ubigeo.status_code == 422
    assert unknown_ruc.status_code == 404
    assert (
        unknown_ruc.json()["detail"] == "No hay una autoridad vigente registrada para la entidad con RUC 20131312955."
    )


async def test_the_entities_to_choose_from_are_listed(client):
    entities = (await client.get("/entities")).json()

    assert len(entities) == 40
    assert set(entities[0]) == {"ruc", "name", "public"}


async def test_the_jwks_publishes_one_ed25519_key(client):
    (key,) = (await client.get("/.well-known/jwks.json")).json()["keys"]

    assert (key["kty"], key["crv"], key["alg"]) == ("OKP", "Ed25519", "EdDSA")


async def test_login_answers_503_in_spanish_while_the_database_is_not_connected(client):
    response = await client.post("/auth/login", json={"username": "gl090101", "password": "x"})

    assert response.status_code == 503
    assert "no está disponible" in response.json()["detail"]


def test_identity_refuses_to_start_without_a_token_key_file():
    with pytest.raises(ConfigError, match="CONTIGO_TOKEN_KEY_FILE is required"):
        create_app(Settings(database_url=NOWHERE), KafkaBroker("127.0.0.1:1"), own_broker=False)


def test_identity_refuses_to_start_with_a_mail_key_file_that_holds_no_key(tmp_path):
    garbled = tmp_path / "mail.key"
    garbled.write_text("not a key\n")
    settings = Settings(database_url=NOWHERE, token_key_file=str(tmp_path / "token.pem"), mail_key_file=str(garbled))

    with pytest.raises(ConfigError, match="CONTIGO_MAIL_KEY_FILE: cannot read or create identity's mail key"):
        create_app(settings, KafkaBroker("127.0.0.1:1"), own_broker=False)


async def test_on_new_years_eve_in_lima_the_outgoing_mayor_is_still_in_office_although_utc_is_in_the_new_year(
    tmp_path,
):
    settings = Settings(database_url=NOWHERE, token_key_file=str(tmp_path / "token.pem"))
    late_evening = FixedClock(datetime(2027, 1, 1, 3, 0, tzinfo=UTC))  # 22:00 on 31 December in Lima
    app = create_app(settings, KafkaBroker("127.0.0.1:1"), own_broker=False, clock=late_evening)

    async with AsyncTestClient(app) as client:
        mayor = (await client.get("/authorities", params={"ubigeo": "090201"})).json()

    assert mayor["period"] == "2023-2026"
