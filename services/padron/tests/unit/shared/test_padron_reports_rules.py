"""What alerts and FAD share: the position of a page, and its refusal in Spanish."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from padron.alerts import domain as alerts
from padron.shared import reports
from padron.shared.errors import FormError

pytestmark = pytest.mark.unit


def refusal(call, *args) -> dict[str, str]:
    with pytest.raises(FormError) as caught:
        call(*args)
    return caught.value.errors


def test_a_page_position_goes_and_comes_back_unchanged():
    at, record_id = datetime(2026, 3, 1, 10, 5, 7, 123456, tzinfo=UTC), uuid.uuid4()

    assert reports.decode_cursor(reports.encode_cursor(at, record_id)) == (at, record_id)


def test_a_made_up_page_position_or_size_is_refused_in_spanish():
    assert refusal(reports.decode_cursor, "no-es-un-cursor") == {"after": "Use el valor next de la página anterior."}
    assert refusal(reports.page_limit, "500") == {"limit": "Use un número entre 1 y 200."}
    assert refusal(reports.state_filter, "CERRADA", alerts.ALERT_STATES) == {"state": "Use ABIERTA o ATENDIDA."}
