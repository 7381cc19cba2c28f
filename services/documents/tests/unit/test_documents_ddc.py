"""The prefilled DDC says who declares what, and carries its verification code and check address."""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, datetime

import msgspec
import pytest
from pypdf import PdfReader

from contracts.events import AccessRequested, Entity, Jurisdiction, Person, Responsible
from documents.adapters.render import render_ddc
from documents.domain import CODE_ALPHABET, ddc_sheet, new_verification_code, normalize_code

pytestmark = pytest.mark.unit

PUBLIC_URL = "https://aliados.contigo.gob.pe"


def requested(jurisdiction: Jurisdiction, entity: Entity | None = None, attempt: int = 1) -> AccessRequested:
    return AccessRequested(
        request_id=uuid.uuid4(),
        code="SA-2026-000123",
        attempt=attempt,
        jurisdiction=jurisdiction,
        authority=Person(dni="40123456", names="Juan Ñahui Pérez"),
        authority_role="Alcalde",
        responsible=Responsible(
            dni="45678912",
            names="María Quispe Ñaupari",
            office="OMAPED",
            position="Jefa de la OMAPED",
            email="mquispe@munihuancavelica.gob.pe",
        ),
        entity=entity,
    )


def text_of(pdf: bytes) -> str:
    """The words of every page, lines joined (the layout wraps paragraphs anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_ddc_of_a_municipality_names_the_request_the_people_the_law_and_its_code():
    event = requested(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090101"), attempt=2)
    code = new_verification_code()

    text = text_of(render_ddc(ddc_sheet(event, code, datetime.now(UTC), PUBLIC_URL)))

    assert "DOCUMENTO DE DECLARACIÓN DE CONFIDENCIALIDAD" in text
    assert "PENSIÓN NO CONTRIBUTIVA" in text
    assert "SA-2026-000123 - intento 2 - Gobierno Local" in text
    assert "Huancavelica, Huancavelica, Huancavelica" in text
    assert "Municipalidad Provincial de Huancavelica" in text
    assert "Juan Ñahui Pérez" in text and "40123456" in text and "Alcalde" in text
    assert "María Quispe Ñaupari" in text and "45678912" in text and "OMAPED" in text
    assert "mquispe@munihuancavelica.gob.pe" in text
    assert "Ley N.° 29733" in text
    assert f"Código de verificación: {code}" in text
    assert f"{PUBLIC_URL}/verificar?codigo={code}" in text
    assert "Firma de la autoridad" in text and "Sello de la institución" in text


def test_the_ddc_of_a_regional_government_names_its_region():
    event = requested(Jurisdiction(ally_type="GOBIERNO_REGIONAL", ubigeo="12"))

    text = text_of(render_ddc(ddc_sheet(event, new_verification_code(), datetime.now(UTC), PUBLIC_URL)))

    assert "Gobierno Regional de Junín" in text
    assert "Tipo de aliado: Gobierno Regional" in text


def test_the_ddc_of_another_ally_shows_the_entity_its_ruc_and_the_documents_it_declared():
    event = requested(
        Jurisdiction(ally_type="OTRO_ALIADO", entity_name="Consejo Nacional – CONADIS", entity_ruc="20433270461"),
        Entity(public=True, rof_document="D.S. N.° 002-2016-MIMP", designation_document="R.S. N.° 010-2025-MIMP"),
    )

    text = text_of(render_ddc(ddc_sheet(event, new_verification_code(), datetime.now(UTC), PUBLIC_URL)))

    assert "Otro aliado" in text
    assert "Consejo Nacional - CONADIS" in text
    assert "20433270461" in text
    assert "Pública" in text
    assert "D.S. N.° 002-2016-MIMP" in text and "R.S. N.° 010-2025-MIMP" in text
    assert len(PdfReader(io.BytesIO(render_ddc(ddc_sheet(event, "K7QX-9M2P-4TZD", datetime.now(UTC), "")))).pages) == 1


def test_a_district_that_is_not_a_province_seat_is_governed_by_a_district_municipality():
    event = requested(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090102"))

    sheet = ddc_sheet(event, new_verification_code(), datetime.now(UTC), PUBLIC_URL)

    assert sheet.of_institution.startswith("de la Municipalidad Distrital de ")


def test_a_name_outside_latin_1_still_renders():
    event = requested(Jurisdiction(ally_type="GOBIERNO_LOCAL", ubigeo="090101"))
    event = msgspec.structs.replace(event, authority_role="Alcaldesa ŝ")

    text = text_of(render_ddc(ddc_sheet(event, new_verification_code(), datetime.now(UTC), PUBLIC_URL)))

    assert "Alcaldesa s" in text


def test_verification_codes_are_twelve_unambiguous_characters_in_three_groups():
    codes = {new_verification_code() for _ in range(200)}

    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", code)
        assert set(code.replace("-", "")) <= set(CODE_ALPHABET)
        assert not set(code) & set("ILOU")


def test_a_code_typed_by_a_person_is_read_whatever_the_case_spaces_and_dashes():
    assert normalize_code(" k7qx 9m2p-4tzd ") == "K7QX-9M2P-4TZD"
    assert normalize_code("K7QX9M2P4TZD") == "K7QX-9M2P-4TZD"
    assert normalize_code("kOqx-9m2p-4tzl") == "K0QX-9M2P-4TZ1"
    assert normalize_code("K7QX-9M2P") is None
    assert normalize_code("K7QX-9M2P-4TZU") is None
