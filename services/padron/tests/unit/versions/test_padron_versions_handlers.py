"""Padrón publication with a fake repository: what it compares with, what it announces, who may."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from padron.shared.errors import FormError, OutOfScopeError
from padron.shared.scope import Scope
from padron.versions import handlers as versions
from padron.versions.domain import Period
from padron.versions.handlers import PublishedVersion

pytestmark = pytest.mark.unit


STAFF = Scope("STAFF", "evaluador", "EVALUATOR")
DISTRICT = Scope("DISTRICT", "muni", "ALLY", "GOBIERNO_LOCAL", ubigeo="090101")


class FakeVersionRepo:
    def __init__(self, published: list[PublishedVersion] = ()):
        self.published = list(published)
        self.events: list[tuple[object, str]] = []
        self.frozen: list[tuple] = []

    async def lock_publication(self):
        pass

    async def period_exists(self, period):
        return any(v.period == period for v in self.published)

    async def published_versions(self):
        return self.published

    async def freeze(self, padron_id, period, resolution_number, resolution_date, user, previous, older):
        self.frozen.append((period, previous, list(older)))
        return [("090101", "CONTINUADOR", 7), ("150101", "NUEVO", 2)]

    async def emit(self, event, key):
        self.events.append((event, key))


async def test_a_publication_compares_with_the_latest_version_and_announces_its_district_counts():
    latest, older = uuid.uuid4(), uuid.uuid4()
    repo = FakeVersionRepo([PublishedVersion(latest, Period(2026, 4)), PublishedVersion(older, Period(2026, 3))])

    event = await versions.publish_padron("V-2026", " RD-15-2026 ", "2026-08-30", STAFF, repo)

    assert repo.frozen == [(Period(2026, 5), latest, [older])]
    assert repo.events == [(event, str(event.padron_id))]
    assert (event.period, event.resolution_number, event.resolution_date) == ("V-2026", "RD-15-2026", date(2026, 8, 30))
    assert [(c.ubigeo, c.category, c.count) for c in event.counts] == [
        ("090101", "CONTINUADOR", 7),
        ("150101", "NUEVO", 2),
    ]


async def test_a_publication_without_a_resolution_date_or_by_an_ally_is_refused_and_freezes_nothing():
    repo = FakeVersionRepo()

    with pytest.raises(FormError):
        await versions.publish_padron("V-2026", "RD-1", "", STAFF, repo)
    with pytest.raises(OutOfScopeError):
        await versions.publish_padron("V-2026", "RD-1", "2026-08-30", DISTRICT, repo)

    assert repo.frozen == repo.events == []
