"""Migrations: the kit's tables come first, files must be numbered."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventkit.migrations import discover, plan

pytestmark = pytest.mark.unit


def test_the_kit_tables_are_planned_before_the_service_migrations(tmp_path: Path):
    (tmp_path / "0002_more.sql").write_text("select 1;")
    (tmp_path / "0001_first.sql").write_text("select 1;")

    versions = [m.version for m in plan("cases", tmp_path)]

    assert versions == ["eventkit:0001", "eventkit:0002", "cases:0001", "cases:0002"]


def test_a_migration_without_a_number_is_refused(tmp_path: Path):
    (tmp_path / "first.sql").write_text("select 1;")

    with pytest.raises(ValueError, match=r"NNNN_what\.sql"):
        discover(tmp_path, "cases")
