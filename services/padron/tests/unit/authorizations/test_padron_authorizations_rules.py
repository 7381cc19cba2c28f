"""Collection authorization rules: a collector, a validity, renewals."""

from __future__ import annotations

from datetime import date

import pytest

from padron.authorizations import domain as authorizations
from padron.shared.errors import ConflictError, FormError

pytestmark = pytest.mark.unit


TODAY = date(2026, 7, 15)


def test_an_authorization_needs_a_collector_and_a_validity_that_has_not_ended():
    with pytest.raises(FormError) as refused:
        authorizations.authorization_input(
            {"collector_dni": "123", "valid_from": "2026-07-01", "valid_until": "2026-06-30"}, TODAY
        )

    assert refused.value.errors == {
        "collector_dni": "El DNI debe tener 8 dígitos.",
        "collector_names": "Dato obligatorio.",
        "relationship": "Dato obligatorio.",
        "valid_until": "La vigencia debe terminar después de empezar.",
    }


def test_a_renewal_must_extend_the_validity_and_a_revoked_one_cannot_be_renewed():
    current = date(2026, 12, 31)

    assert authorizations.renewal_until("VIGENTE", current, "2027-06-30", TODAY) == date(2027, 6, 30)
    assert authorizations.renewal_until("VENCIDA", date(2026, 7, 1), "2026-12-31", TODAY) == current
    with pytest.raises(FormError):
        authorizations.renewal_until("VIGENTE", current, "2026-12-31", TODAY)
    with pytest.raises(ConflictError, match="revocada"):
        authorizations.renewal_until("REVOCADA", current, "2027-06-30", TODAY)
