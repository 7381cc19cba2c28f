"""INEI ubigeo: every departamento (region), provincia and distrito, shared by all services."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class District:
    ubigeo: str
    region: str
    province: str
    district: str

    @property
    def region_code(self) -> str:
        return self.ubigeo[:2]

    @property
    def province_code(self) -> str:
        return self.ubigeo[:4]


@cache
def districts() -> dict[str, District]:
    """Every district by its 6-digit ubigeo."""
    with resources.files("contracts").joinpath("data/ubigeo.csv").open(encoding="utf-8") as f:
        return {
            row["ubigeo"]: District(row["ubigeo"], row["departamento"], row["provincia"], row["distrito"])
            for row in csv.DictReader(f)
        }


@cache
def regions() -> dict[str, str]:
    """Region (departamento) name by its 2-digit code."""
    return {d.region_code: d.region for d in districts().values()}


@cache
def provinces() -> dict[str, tuple[str, str]]:
    """(region code, province name) by 4-digit province code."""
    return {d.province_code: (d.region_code, d.province) for d in districts().values()}


def is_region(code: str) -> bool:
    return len(code) == 2 and code in regions()


def is_district(code: str) -> bool:
    return len(code) == 6 and code in districts()


def describe(code: str) -> str:
    """A place as a person reads it: 'Huancavelica' or 'Acobamba, Acobamba, Huancavelica'."""
    if is_region(code):
        return regions()[code]
    if is_district(code):
        d = districts()[code]
        return f"{d.district}, {d.province}, {d.region}"
    raise KeyError(code)
