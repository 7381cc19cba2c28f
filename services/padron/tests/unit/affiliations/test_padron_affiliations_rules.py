"""Affiliation request rules: a decision and its observations."""

from __future__ import annotations

import pytest

from padron.affiliations import domain as affiliations
from padron.shared.errors import ConflictError, FormError

pytestmark = pytest.mark.unit


def test_a_no_conforme_decision_needs_observations_and_a_request_is_decided_once():
    with pytest.raises(FormError) as refused:
        affiliations.check_affiliation_decision("PENDIENTE", "NO_CONFORME", "")

    assert refused.value.errors == {"observations": "Indique por qué la solicitud no es conforme."}
    affiliations.check_affiliation_decision("PENDIENTE", "CONFORME", "")
    with pytest.raises(ConflictError, match="ya fue atendida"):
        affiliations.check_affiliation_decision("CONFORME", "NO_CONFORME", "Duplicada")
