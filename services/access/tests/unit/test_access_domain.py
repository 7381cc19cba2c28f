"""The access request's rules: fields checked like a Peruvian form, and its life cycle."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime

import pytest

from access.deadlines import add_business_days
from access.domain import (
    AccessRequest,
    AuthorityForm,
    EntityForm,
    FormError,
    RequestForm,
    ResponsibleForm,
    TransitionError,
    UploadedDocument,
    new_code,
    validate_for_submit,
)
from access.validation import landline_error, mobile_error, ruc_error
from contracts.events import AccessApproved, AccessObserved, AccessRequested
from contracts.peru import ruc_check_digit

pytestmark = pytest.mark.unit
NOW = datetime(2026, 7, 27, 15, 0, tzinfo=UTC)


def person(dni: str = "40123456", **extra) -> dict:
    return {
        "dni": dni,
        "names": "ANA QUISPE MAMANI",
        "mobile": "987654321",
        "personal_email": "ana@example.pe",
        "institutional_email": "ana@muni.gob.pe",
    } | extra


def local_form(**changes) -> RequestForm:
    base = {
        "ally_type": "GOBIERNO_LOCAL",
        "ubigeo": "090101",
        "authority": AuthorityForm(**person()),
        "responsible": ResponsibleForm(**person("41234567", office="OMAPED", position="Jefa de la OMAPED")),
    }
    return RequestForm(**(base | changes))


def valid_ruc(prefix: str = "2013107837") -> str:
    return prefix + str(ruc_check_digit(prefix))


def doc(kind: str) -> UploadedDocument:
    return UploadedDocument(kind, "ab" * 32, 1000, False, None, None)


def submitted(form: RequestForm | None = None) -> AccessRequest:
    request = AccessRequest(uuid.uuid4(), "SA-2026-000001", form or local_form())
    request.submit(NOW)
    return request


def test_a_complete_local_government_form_has_no_errors():
    assert validate_for_submit(local_form()) == {}


def test_each_wrong_field_gets_its_own_spanish_message():
    form = local_form(
        ubigeo="0901",
        authority=AuthorityForm(**person("1234567", mobile="87654321", personal_email="ana@")),
    )

    errors = validate_for_submit(form)

    assert errors == {
        "ubigeo": "El distrito no existe en el ubigeo del INEI.",
        "authority.dni": "El DNI debe tener 8 dígitos.",
        "authority.mobile": "El celular debe tener 9 dígitos y empezar con 9.",
        "authority.personal_email": "El correo electrónico no es válido.",
    }


def test_a_regional_government_needs_a_region_not_a_district():
    errors = validate_for_submit(local_form(ally_type="GOBIERNO_REGIONAL", ubigeo="090101"))

    assert errors == {"ubigeo": "La región no existe en el ubigeo del INEI."}
    assert validate_for_submit(local_form(ally_type="GOBIERNO_REGIONAL", ubigeo="09")) == {}


def test_a_ruc_needs_its_check_digit():
    good = valid_ruc()
    bad = good[:10] + str((int(good[10]) + 1) % 10)

    assert ruc_error(good) is None
    assert ruc_error(bad) == "El RUC no es válido: su dígito verificador no coincide."
    assert ruc_error("2013107837") == "El RUC debe tener 11 dígitos."


def test_a_public_entity_must_name_its_rof_and_designation_documents():
    form = local_form(
        ally_type="OTRO_ALIADO", ubigeo=None, entity=EntityForm(name="CONADIS", ruc=valid_ruc(), public=True)
    )

    errors = validate_for_submit(form)

    assert set(errors) == {"entity.rof_document", "entity.designation_document"}


def test_phone_numbers_are_checked_as_peruvian_numbers():
    assert mobile_error("987 654 321") is None
    assert landline_error("01 4261234") is None
    assert landline_error("064-123456") is None
    assert landline_error("4261234") is not None


def test_at_least_one_phone_is_required():
    form = local_form(authority=AuthorityForm(**person(mobile=None)))

    assert validate_for_submit(form) == {"authority.mobile": "Ingrese al menos un teléfono: celular o fijo."}


def test_an_incomplete_request_cannot_be_sent_and_stays_a_draft():
    request = AccessRequest(uuid.uuid4(), "SA-2026-000001", RequestForm(ally_type="GOBIERNO_LOCAL"))

    with pytest.raises(FormError) as refused:
        request.submit(NOW)

    assert "ubigeo" in refused.value.errors
    assert request.state == "DRAFT" and request.attempt == 0


def test_sending_twice_emits_one_access_requested():
    request = AccessRequest(uuid.uuid4(), "SA-2026-000001", local_form())

    first = request.submit(NOW)
    second = request.submit(NOW)

    assert [type(e) for e in first] == [AccessRequested]
    assert second == []
    assert first[0].attempt == 1 and first[0].authority_role == "ALCALDE"


def test_a_mismatched_authority_observes_the_request_with_its_reason():
    request = submitted()

    events = request.authority_checked(1, "MISMATCH", "El DNI registrado no corresponde al alcalde vigente.")

    assert request.state == "OBSERVED"
    assert request.observations == ["El DNI registrado no corresponde al alcalde vigente."]
    assert isinstance(events[0], AccessObserved) and events[0].evaluator_id == "sistema"


def test_a_corrected_request_is_sent_again_as_a_new_attempt_and_old_answers_are_ignored():
    request = submitted()
    request.authority_checked(1, "MISMATCH", "No coincide.")
    request.save(local_form(authority=AuthorityForm(**person("40999999"))))

    events = request.submit(NOW)
    stale = request.authority_checked(1, "MISMATCH", "No coincide.")

    assert events[0].attempt == 2 and events[0].authority.dni == "40999999"
    assert stale == [] and request.state == "SUBMITTED"


def test_the_request_enters_the_queue_once_the_authority_matches_and_the_ddc_is_uploaded_in_any_order():
    request = submitted()
    request.document_uploaded(1, doc("DDC_SIGNED"))

    before = request.ready_for_evaluation(date(2026, 7, 27), add_business_days)
    request.authority_checked(1, "MATCH", None)
    after = request.ready_for_evaluation(date(2026, 7, 27), add_business_days)

    assert (before, after) == (False, True)
    assert request.state == "PENDING_EVALUATION"
    assert request.due_date == date(2026, 8, 5)


def test_another_ally_also_needs_its_designation_document():
    form = local_form(
        ally_type="OTRO_ALIADO",
        ubigeo=None,
        entity=EntityForm(name="Fundación Ejemplo", ruc=valid_ruc(), public=False),
    )
    request = submitted(form)
    request.authority_checked(1, "MATCH", None)
    request.document_uploaded(1, doc("DDC_SIGNED"))

    assert not request.ready_for_evaluation(date(2026, 7, 27), add_business_days)
    request.document_uploaded(1, doc("DESIGNATION"))
    assert request.ready_for_evaluation(date(2026, 7, 27), add_business_days)


def test_only_a_request_in_evaluation_can_be_approved():
    request = submitted()

    with pytest.raises(TransitionError, match="no está en evaluación"):
        request.approve("evaluador")


def test_approval_carries_the_e_mails_identity_needs():
    request = submitted()
    request.authority_checked(1, "MATCH", None)
    request.document_uploaded(1, doc("DDC_SIGNED"))
    request.ready_for_evaluation(date(2026, 7, 27), add_business_days)

    (approved,) = request.approve("evaluador")

    assert isinstance(approved, AccessApproved)
    assert approved.responsible_email == "ana@muni.gob.pe"
    assert approved.jurisdiction.ubigeo == "090101"


def test_a_submitted_request_cannot_be_edited():
    request = submitted()

    with pytest.raises(TransitionError, match="ya fue enviada"):
        request.save(local_form())


def test_the_deadline_skips_the_fiestas_patrias_holidays():
    # Monday 27 July 2026; 28 and 29 July are public holidays: Thu 30, Fri 31, Mon 3, Tue 4, Wed 5.
    assert add_business_days(date(2026, 7, 27)) == date(2026, 8, 5)


def test_the_deadline_skips_weekends_and_the_immaculate_conception():
    # Friday 4 December 2026; Tue 8 and Wed 9 are holidays: Mon 7, Thu 10, Fri 11, Mon 14, Tue 15.
    assert add_business_days(date(2026, 12, 4)) == date(2026, 12, 15)


def test_an_unfinished_evaluation_is_overdue_after_its_due_date():
    request = submitted()
    request.authority_checked(1, "MATCH", None)
    request.document_uploaded(1, doc("DDC_SIGNED"))
    request.ready_for_evaluation(date(2026, 7, 27), add_business_days)

    assert not request.overdue(date(2026, 8, 5))
    assert request.overdue(date(2026, 8, 6))


def test_request_codes_are_random_so_one_code_tells_nothing_of_another():
    codes = {new_code(2026) for _ in range(200)}

    assert len(codes) == 200
    assert all(re.fullmatch(r"SA-2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", c) for c in codes)


def test_a_corrected_request_sent_again_has_no_ddc_to_give_or_take_until_its_new_one_is_generated():
    request = submitted()
    request.ddc_generated(1, "K7QX-9M2P-4TZD")
    request.authority_checked(1, "MISMATCH", "No coincide.")
    request.submit(NOW)

    with pytest.raises(TransitionError) as download:
        request.ddc_attempt()
    with pytest.raises(TransitionError) as upload:
        request.upload_attempt()
    request.ddc_generated(2, "ABCD-EFGH-JKMN")

    assert (
        str(download.value)
        == "El DDC de la solicitud corregida aún se está generando; intente nuevamente en unos segundos."
    )
    assert str(upload.value) == (
        "El DDC de la solicitud corregida aún se está generando; descárguelo de nuevo y súbalo firmado."
    )
    assert request.ddc_attempt() == request.upload_attempt() == 2


def test_a_draft_never_sent_says_so_when_its_ddc_is_asked_for_or_a_document_is_uploaded():
    draft = AccessRequest(uuid.uuid4(), "SA-2026-000001", local_form())

    with pytest.raises(TransitionError) as download:
        draft.ddc_attempt()
    with pytest.raises(TransitionError) as upload:
        draft.upload_attempt()

    assert (
        str(download.value) == str(upload.value) == "La solicitud aún no ha sido enviada; envíela para generar el DDC."
    )


def test_an_observed_request_neither_gives_its_old_ddc_nor_takes_documents():
    request = submitted()
    request.ddc_generated(1, "K7QX-9M2P-4TZD")
    request.authority_checked(1, "MISMATCH", "No coincide.")

    with pytest.raises(TransitionError, match="corríjala y envíela de nuevo para generar un DDC nuevo"):
        request.ddc_attempt()
    with pytest.raises(TransitionError, match="corríjala y envíela de nuevo; luego descargue el DDC nuevo"):
        request.upload_attempt()


def in_evaluation() -> AccessRequest:
    """A request whose DDC was generated, signed and uploaded, with its authority matched: in the queue."""
    request = submitted()
    request.ddc_generated(1, "K7QX-9M2P-4TZD")
    request.authority_checked(1, "MATCH", None)
    request.document_uploaded(1, doc("DDC_SIGNED"))
    request.ready_for_evaluation(date(2026, 7, 27), add_business_days)
    return request


def test_a_decided_request_still_gives_its_ddc_but_takes_no_more_documents():
    request = in_evaluation()
    request.reject("evaluador", "Documentación ilegible.")

    with pytest.raises(TransitionError, match="fue rechazada y no admite más documentos"):
        request.upload_attempt()
    assert request.ddc_attempt() == 1


def test_once_in_evaluation_its_documents_are_sealed_until_an_observation_asks_for_new_ones():
    request = in_evaluation()
    first = request.documents["DDC_SIGNED"]

    with pytest.raises(TransitionError, match="ya está en evaluación: sus documentos no pueden reemplazarse"):
        request.upload_attempt()
    late = UploadedDocument("DDC_SIGNED", "f" * 64, 999, False, None, None)
    request.document_uploaded(1, late)  # one that raced past the gateway's check is not counted
    assert request.documents["DDC_SIGNED"] is first

    request.observe("evaluador", ["El sello no se lee."])
    request.submit(NOW)
    request.ddc_generated(2, "ABCD-EFGH-JKMN")
    assert request.upload_attempt() == 2


def test_an_approved_request_takes_no_more_documents():
    request = in_evaluation()
    request.approve("evaluador")

    with pytest.raises(TransitionError, match="ya fue aprobada y no admite más documentos"):
        request.upload_attempt()
