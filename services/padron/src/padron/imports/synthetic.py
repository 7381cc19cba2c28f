"""A deterministic synthetic padrón over the real INEI ubigeo: no real person, any size, streamed.

The default is the size of the V-2022 padrón (80,326 beneficiaries in the 25 regions and 1,746 of
the 1,891 districts), with the same split of women and men and of children and adolescents. Regions
are weighted by the programme's published figures (Lima, Cajamarca, Piura, Huánuco and Cusco, of
142,771 users in 2025); the other 20 share the rest in proportion to the square root of their number
of districts. Within a region district sizes follow Zipf's law: the region's capital district first,
then the provinces' capitals, then the other districts in a seeded order. The 145 districts with the
smallest expected share have nobody.

Rows come out one by one, district after district and each district's people in alphabetical order
(as the programme lists them), so ten million of them never sit in memory, one district's names at most:
``rows()`` for tuples of strings in ``beneficiary.FIELDS`` order, ``csv_chunks()`` for CSV bytes
ready for ``padron.imports.repo.import_csv`` (and so for PostgreSQL COPY).

    uv run python -m padron.imports.synthetic --rows 80326 --out padron.csv
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import sys
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path

from contracts import ubigeo
from eventkit.clock import LimaClock
from padron.beneficiaries.domain import FIELDS

DEFAULT_ROWS = 80_326
DEFAULT_SEED = 2022
SERVED_DISTRICTS = 1_746
# Users by region published for 2025 (shared/data/contigo_users_by_department_partial.csv).
PUBLISHED_REGIONS = {"15": 19_111, "06": 15_879, "20": 12_647, "10": 9_034, "08": 7_797}
PUBLISHED_TOTAL = 142_771
# The V-2022 padrón: 36,991 women and 43,335 men; 23,388 children and adolescents.
WOMEN_SHARE = 36_991 / 80_326
MINOR_SHARE = 23_388 / 80_326
SUSPENDED_SHARE = 0.025
DISAFFILIATED_SHARE = 0.015

_DNI_SPACE = 90_000_000  # DNIs 10000000..99999999
_DNI_PRIME = 90_000_059  # prime, = 2 (mod 3): x -> x**3 is a bijection modulo it

SURNAMES = (
    "QUISPE QUISPE QUISPE FLORES FLORES SANCHEZ SANCHEZ RODRIGUEZ GARCIA HUAMAN HUAMAN ROJAS ROJAS MAMANI "
    "MAMANI CHAVEZ DIAZ RAMOS TORRES VASQUEZ GONZALES MENDOZA LOPEZ CASTILLO ESPINOZA RAMIREZ CRUZ PEREZ "
    "GUTIERREZ FERNANDEZ MORALES HERRERA CONDORI CONDORI VARGAS CARDENAS SALAZAR ROMERO JIMENEZ ALVAREZ "
    "MEDINA CORDOVA AGUILAR CHOQUE APAZA TICONA HUANCA PUMA CCAHUANA LAURA CALLA CUTIPA YUPANQUI HUAMANI "
    "CHOQUEHUANCA PARI COAQUIRA CUSI INGA NUÑEZ PEÑA MUÑOZ IBAÑEZ CAÑARI ÑAUPARI CASTAÑEDA ZUÑIGA LEON "
    "CAMPOS REYES SILVA VEGA NAVARRO RIVERA PAREDES VILLANUEVA SOTO CORNEJO ACOSTA VALDIVIA TAPIA BENITES "
    "CABRERA RUIZ MORENO GOMEZ SANTOS HUERTA CHUQUIMANGO TERRONES CHILON ALTAMIRANO SAAVEDRA ZAPATA CHUNGA "
    "YARLEQUE ECA AMAYA CHUMACERO SILUPU TAFUR PANDURO RENGIFO SHUPINGAHUA TUANAMA HUAYTA ALIAGA LLANOS"
).split()
WOMEN_NAMES = (
    "MARIA ROSA ANA CARMEN JUANA LUZ ELENA JULIA MARTHA SONIA GLADYS YOLANDA NELLY ROSARIO MERCEDES "
    "TERESA VICTORIA LUCIA FLOR MILAGROS KATHERINE ANDREA VALERIA CAMILA SOFIA XIOMARA YESENIA DIANA "
    "PAOLA JESSICA CARLA NATALY ELIZABETH GRACIELA BEATRIZ ISABEL NORMA DORIS EDITH MARLENE RUTH SARA "
    "ANGELA NANCY VILMA FLORENCIA AURORA SILVIA PILAR ESTHER LUISA MAGDALENA KIARA ALEXANDRA DAYANA "
    "FIORELLA NICOLE ASHLEY ALEJANDRA CLAUDIA JUDITH"
).split()
MEN_NAMES = (
    "JUAN JOSE LUIS CARLOS JORGE PEDRO MIGUEL CESAR VICTOR JESUS MANUEL JULIO ROBERTO RAUL WILLIAM "
    "ALBERTO DAVID FERNANDO FRANCISCO ANTONIO OSCAR ELMER WILSON EDWIN SANTOS SEGUNDO TEODORO FELIPE "
    "ALEJANDRO MARIO HUGO JAVIER RICARDO ANGEL DANIEL ALEX JHON KEVIN BRAYAN DIEGO SEBASTIAN MATEO "
    "THIAGO GABRIEL FABRIZIO RENZO PERCY NILTON WALTER RONALD HECTOR ISAAC ABEL NESTOR GREGORIO HILARIO "
    "FORTUNATO MAXIMO EUSEBIO"
).split()
STREET_KINDS = ("Jr.", "Jr.", "Jr.", "Av.", "Av.", "Calle", "Calle", "Psje.", "Prol.")
STREETS = (
    "Los Andes",
    "Grau",
    "Bolognesi",
    "San Martín",
    "Lima",
    "Arequipa",
    "Junín",
    "Ayacucho",
    "Dos de Mayo",
    "28 de Julio",
    "Túpac Amaru",
    "Los Incas",
    "Progreso",
    "Amazonas",
    "Libertad",
    "Las Flores",
    "Los Pinos",
    "Manco Cápac",
    "Sucre",
    "Bolívar",
    "Ramón Castilla",
    "José Olaya",
    "Leoncio Prado",
    "Santa Rosa",
    "Alfonso Ugarte",
    "La Mar",
    "Huáscar",
    "Pachacútec",
    "Independencia",
    "Unión",
    "Comercio",
    "Tacna",
    "Los Álamos",
    "El Sol",
    "Primavera",
)
HAMLETS = ("Santa Rosa", "San Juan", "Huayllapampa", "Pampa Grande", "Chacapampa", "Ccollpa", "Llactapata", "Alto Perú")
SUSPENSION_REASONS = (
    "No cobró la pensión durante dos periodos consecutivos",
    "Certificado de discapacidad en verificación",
    "Clasificación socioeconómica en actualización",
)
DEATH, OTHER_INCOME, NOT_POOR, RESIGNED = (
    "Fallecimiento",
    "Percibe otra pensión o ingresos",
    "Ya no se encuentra en situación de pobreza según el SISFOH",
    "Renuncia voluntaria",
)
DISAFFILIATION_REASONS = (DEATH, DEATH, OTHER_INCOME, NOT_POOR, RESIGNED)
PROGRAMME_START = date(2016, 1, 1)
CERTIFICATES_SINCE = date(2012, 1, 1)


def region_weights() -> dict[str, float]:
    """Share of the padrón per region code; they add up to 1."""
    per_region: dict[str, int] = {}
    for d in ubigeo.districts().values():
        per_region[d.region_code] = per_region.get(d.region_code, 0) + 1
    rest = PUBLISHED_TOTAL - sum(PUBLISHED_REGIONS.values())
    roots = {code: math.sqrt(n) for code, n in per_region.items() if code not in PUBLISHED_REGIONS}
    spread = sum(roots.values())
    weights = {code: n / PUBLISHED_TOTAL for code, n in PUBLISHED_REGIONS.items()}
    weights |= {code: rest * root / spread / PUBLISHED_TOTAL for code, root in roots.items()}
    return weights


def _ranked_districts(seed: int) -> dict[str, list[str]]:
    """Per region its districts from largest to smallest: capital, provinces' capitals, the rest."""
    rng = random.Random(f"{seed}:ranking")
    by_region: dict[str, list[str]] = {}
    for code in sorted(ubigeo.districts()):
        by_region.setdefault(code[:2], []).append(code)
    ranked = {}
    for region, codes in by_region.items():
        capital = f"{region}0101"
        capitals = [c for c in codes if c.endswith("01") and c != capital]
        others = [c for c in codes if not c.endswith("01")]
        rng.shuffle(capitals)
        rng.shuffle(others)
        ranked[region] = [capital, *capitals, *others]
    return ranked


@cache
def district_weights(seed: int = DEFAULT_SEED) -> dict[str, float]:
    """Share of the padrón per served district (1,746 of them); they add up to 1."""
    regions = region_weights()
    ranked = _ranked_districts(seed)
    expected = {}
    for region, codes in ranked.items():
        harmonic = sum(1 / rank for rank in range(1, len(codes) + 1))
        for rank, code in enumerate(codes, start=1):
            expected[code] = regions[region] / (rank * harmonic)
    served = set(sorted(expected, key=lambda c: (-expected[c], c))[:SERVED_DISTRICTS])
    weights = {}
    for region, codes in ranked.items():
        kept = [c for c in codes if c in served]
        harmonic = sum(1 / rank for rank in range(1, len(kept) + 1))
        for rank, code in enumerate(kept, start=1):
            weights[code] = regions[region] / (rank * harmonic)
    return weights


def _largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    exact = {code: total * w for code, w in weights.items()}
    counts = {code: math.floor(x) for code, x in exact.items()}
    short = total - sum(counts.values())
    for code in sorted(exact, key=lambda c: (counts[c] - exact[c], c))[:short]:
        counts[code] += 1
    return counts


def district_counts(n: int = DEFAULT_ROWS, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """How many beneficiaries each district gets, without generating them (districts with none left out).

    From 1,746 rows on every served district has at least one.
    """
    weights = district_weights(seed)
    if n >= len(weights):
        counts = {code: 1 + extra for code, extra in _largest_remainder(n - len(weights), weights).items()}
    else:
        counts = _largest_remainder(n, weights)
    return {code: k for code, k in sorted(counts.items()) if k}


def _permutation(size: int, rng: random.Random) -> tuple[int, int]:
    """(a, b) with i -> (a*i + b) % size a bijection, ``a`` near size/golden ratio so neighbours spread."""
    a = max(1, round(size * 0.6180339887) + rng.randrange(1000))
    while math.gcd(a, size) != 1:
        a += 1
    return a, rng.randrange(size)


def _dni_maker(seed: int):
    rng = random.Random(f"{seed}:dni")
    a, b = _permutation(_DNI_SPACE, rng)
    c, d = _permutation(_DNI_SPACE, rng)

    def dni(i: int) -> str:
        x = pow((a * i + b) % _DNI_SPACE, 3, _DNI_PRIME)
        while x >= _DNI_SPACE:  # cycle-walk back into the range: still a bijection
            x = pow(x, 3, _DNI_PRIME)
        return str(10_000_000 + (c * x + d) % _DNI_SPACE)

    return dni


def rows(n: int = DEFAULT_ROWS, *, seed: int = DEFAULT_SEED, as_of: date | None = None) -> Iterator[tuple[str, ...]]:
    """The padrón as tuples of strings in ``beneficiary.FIELDS`` order, district by district.

    Same ``n``, ``seed`` and ``as_of`` (default today): same rows. Every row passes
    ``beneficiaries.domain.validate`` on ``as_of``; VIGENTE rows meet ``beneficiaries.domain.requirements``.
    """
    if n > _DNI_SPACE:
        raise ValueError(f"at most {_DNI_SPACE} rows: there are no more 8-digit DNIs")
    today = (as_of or LimaClock().today()).toordinal()
    rng = random.Random(f"{seed}:rows")
    r = rng.random
    dni = _dni_maker(seed)
    women, minors = round(n * WOMEN_SHARE), round(n * MINOR_SHARE)
    sex_a, sex_b = _permutation(max(n, 1), rng)
    age_a, age_b = _permutation(max(n, 1), rng)
    districts = ubigeo.districts()
    i = 0
    for code, count in district_counts(n, seed).items():
        place = districts[code]
        issuers = (
            f"Hospital Regional de {place.region}",
            f"Centro de Salud {place.district}",
            f"Hospital de Apoyo {place.province}",
            f"EsSalud - Red Asistencial {place.region}",
        )
        # A district's people in alphabetical order, as the programme lists them; only one district's
        # names are held at a time.
        people = []
        for k in range(i, i + count):
            female = (sex_a * k + sex_b) % n < women
            people.append((_person(r, female), k, female, (age_a * k + age_b) % n < minors))
        people.sort()
        for names, k, female, minor in people:
            yield _row(r, names, dni(k), code, female, minor, today, issuers)
        i += count


def _pick(r, options):
    return options[int(r() * len(options))]


def _person(r, female: bool) -> str:
    given = WOMEN_NAMES if female else MEN_NAMES
    first = _pick(r, given)
    if r() < 0.45:
        first = f"{first} {_pick(r, given)}"
    return f"{_pick(r, SURNAMES)} {_pick(r, SURNAMES)}, {first}"


def _phone(r) -> str:
    return f"9{int(r() * 100_000_000):08d}"


def _row(
    r, names: str, dni: str, code: str, female: bool, minor: bool, today: int, issuers: tuple[str, ...]
) -> tuple[str, ...]:
    # minors: half a year to 17 years; adults: 18 to 95, more of them old (a margin for leap days)
    age_days = 180 + int(r() * 6_390) if minor else 6_577 + int(77 * 365.25 * r() ** 0.8)
    born = today - age_days
    certified = max(born + 30, CERTIFICATES_SINCE.toordinal())
    certified = min(certified + int(r() * (today - certified)), today - 1)
    joined = max(certified, PROGRAMME_START.toordinal())
    joined = min(joined + int(r() * (today - joined)), today)
    if r() < 0.85:
        address = f"{_pick(r, STREET_KINDS)} {_pick(r, STREETS)} {1 + int(r() * 1500)}"
    else:
        address = f"Caserío {_pick(r, HAMLETS)} s/n"
    guarded = minor or r() < 0.4
    status, reason, other_pension = "VIGENTE", "", "NO"
    sisfoh = "POBRE_EXTREMO" if r() < 0.45 else "POBRE"
    draw = r()
    if draw < SUSPENDED_SHARE:
        status, reason = "SUSPENDIDO", _pick(r, SUSPENSION_REASONS)
    elif draw < SUSPENDED_SHARE + DISAFFILIATED_SHARE:
        status, reason = "DESAFILIADO", _pick(r, DISAFFILIATION_REASONS)
        if reason == OTHER_INCOME:
            other_pension = "SI"
        elif reason == NOT_POOR:
            sisfoh = "NO_POBRE"
    banked = r() < 0.75
    return (
        dni,
        names,
        date.fromordinal(born).isoformat(),
        "F" if female else "M",
        code,
        address,
        _phone(r) if r() < 0.7 else "",
        _person(r, r() < 0.6) if guarded else "",
        _phone(r) if guarded else "",
        f"CD-{date.fromordinal(certified).year}-{int(r() * 1_000_000):06d}",
        "SEVERA",
        _pick(r, issuers),
        date.fromordinal(certified).isoformat(),
        sisfoh,
        date.fromordinal(today + 30 + int(r() * 1065)).isoformat(),
        other_pension,
        "BANCO DE LA NACION" if banked else "",
        f"04{int(r() * 1_000_000_000):09d}" if banked else "",
        status,
        reason,
        date.fromordinal(joined).isoformat(),
    )


def csv_chunks(
    n: int = DEFAULT_ROWS,
    *,
    seed: int = DEFAULT_SEED,
    as_of: date | None = None,
    rows_per_chunk: int = 10_000,
    header: bool = True,
) -> Iterator[bytes]:
    """The padrón as UTF-8 CSV (header = ``beneficiary.FIELDS``), a few thousand rows per chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(FIELDS)
    batch = []
    for row in rows(n, seed=seed, as_of=as_of):
        batch.append(row)
        if len(batch) == rows_per_chunk:
            writer.writerows(batch)
            batch.clear()
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    writer.writerows(batch)
    if buffer.tell():
        yield buffer.getvalue().encode()


def write_csv(path: Path, n: int = DEFAULT_ROWS, *, seed: int = DEFAULT_SEED, as_of: date | None = None) -> int:
    """Write the padrón to ``path``; returns the number of rows."""
    with path.open("wb") as f:
        for chunk in csv_chunks(n, seed=seed, as_of=as_of):
            f.write(chunk)
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m padron.imports.synthetic", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"beneficiaries (default {DEFAULT_ROWS})")
    parser.add_argument("--out", type=Path, help="CSV file to write (default: standard output)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--as-of", type=date.fromisoformat, help="the date the padrón is valid on (default today)")
    args = parser.parse_args(argv)
    if args.out is None:
        for chunk in csv_chunks(args.rows, seed=args.seed, as_of=args.as_of):
            sys.stdout.buffer.write(chunk)
        return 0
    write_csv(args.out, args.rows, seed=args.seed, as_of=args.as_of)
    print(f"{args.rows} beneficiarios en {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
