"""Writes the synthetic registries identity ships: citizens (RENIEC-like) and authorities (JNE-like).

Nobody in them is a real person: names are drawn from fixed lists with a fixed seed, DNIs and
RUCs are random numbers (RUCs with a valid SUNAT check digit). Run again, the files are the same:

    uv run python -m identity.adapters.registry_gen [output folder]
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass
from pathlib import Path

from contracts import ubigeo
from contracts.peru import ruc_check_digit

SEED = 29733
DATA_DIR = Path(__file__).parents[1] / "data"
CITIZENS_FILE = "citizens.csv"
AUTHORITIES_FILE = "authorities.csv"
AUTHORITY_COLUMNS = (
    "kind",
    "jurisdiction",
    "role",
    "dni",
    "names",
    "period_start",
    "period_end",
    "entity_name",
    "public",
)
CURRENT = ("2023-01-01", "2026-12-31")
# The term elected in October 2026 takes office on 1 January 2027; entity heads are not elected
# and stay. Without it, every check would answer NOT_FOUND from that day on.
NEXT = ("2027-01-01", "2030-12-31")
PREVIOUS = ("2019-01-01", "2022-12-31")
EXTRA_CITIZENS = 3000

SURNAMES = """QUISPE MAMANI HUAMÁN FLORES RODRÍGUEZ SÁNCHEZ GARCÍA ROJAS GONZALES CHÁVEZ RAMÍREZ TORRES
MENDOZA VÁSQUEZ CASTILLO ESPINOZA LÓPEZ DÍAZ PÉREZ RAMOS CONDORI HUAMANI CCAMA TICONA APAZA CRUZ
GUTIÉRREZ VARGAS MORALES SALAZAR CÓRDOVA PALOMINO CUSI YUPANQUI PUMA TITO CHOQUE LAURA ALVARADO
ACOSTA AGUILAR BERNAL CALDERÓN CAMPOS CÁCERES CHAMBI CRUZADO DELGADO HUANCA INGA JIMÉNEZ LEÓN
LLANOS MEDINA MIRANDA NÚÑEZ OCHOA PAREDES PARI POMA QUINTANILLA QUIROZ REYES RIVERA ROMERO SOTO
SUÁREZ TAIPE TAPIA URBANO VALDIVIA VEGA VILCA YAURI ZEVALLOS ÑAUPARI CAHUANA ARIAS HUARCAYA LUNA""".split()

FEMALE = """ANA MARÍA|ROSA|CARMEN|JULIA|MARÍA ELENA|LUZ|ELIZABETH|NANCY|YOLANDA|SONIA|GLADYS|MARTHA|ROCÍO|
PATRICIA|LUCÍA|SOFÍA|VALERIA|CAMILA|MILAGROS|FLOR DE MARÍA|DIANA|KATHERINE|JESSICA|MARLENI|NÉLIDA|
SILVIA|BEATRIZ|TERESA|HILDA|VILMA|EVA|RUTH""".replace("\n", "").split("|")

MALE = """JUAN|JOSÉ|LUIS|CARLOS|JORGE|MIGUEL ÁNGEL|VÍCTOR|CÉSAR|WALTER|EDWIN|RAÚL|JULIO|PEDRO|WILBER|
ALEX|FREDY|HUGO|MARCO ANTONIO|PERCY|RICHARD|ELMER|HÉCTOR|NÉSTOR|ROBERTO|DAVID|DIEGO|ÁNGEL|SANTIAGO|
RONALD|ALBERTO|JHON|EDGAR""".replace("\n", "").split("|")

PUBLIC_ENTITIES = (
    "CENTRO DE SALUD MENTAL COMUNITARIO DE HUAMANGA",
    "HOSPITAL DE APOYO DE ACOBAMBA",
    "RED DE SALUD DE CANGALLO",
    "DIRECCIÓN SUBREGIONAL DE SALUD DE TUMBES",
    "UNIDAD DE GESTIÓN EDUCATIVA LOCAL DE LUCANAS",
    "INSTITUTO DE EDUCACIÓN SUPERIOR PÚBLICO DE HUANTA",
    "CENTRO DE EDUCACIÓN BÁSICA ESPECIAL SANTA ROSA DE LIMA",
    "BENEFICENCIA PÚBLICA DE CHINCHA",
    "SOCIEDAD DE BENEFICENCIA DE PUNO",
    "HOSPITAL REGIONAL DE MOQUEGUA",
    "RED DE SALUD DE ANDAHUAYLAS",
    "UNIDAD DE GESTIÓN EDUCATIVA LOCAL DE CASTROVIRREYNA",
    "CENTRO DE REHABILITACIÓN PROFESIONAL DE AREQUIPA",
    "INSTITUTO REGIONAL DE REHABILITACIÓN DE PIURA",
    "HOSPITAL DE APOYO DE BAGUA",
    "RED DE SALUD DE CHOTA",
    "CENTRO DE SALUD DE PAUCARTAMBO",
    "DIRECCIÓN REGIONAL DE EDUCACIÓN DE UCAYALI",
    "INSTITUTO DE EDUCACIÓN SUPERIOR TECNOLÓGICO PÚBLICO DE TARMA",
    "HOSPITAL DE APOYO DE JULI",
)
PRIVATE_ENTITIES = (
    "ASOCIACIÓN DE PERSONAS CON DISCAPACIDAD DE HUANCAVELICA",
    "ASOCIACIÓN DE SORDOS DE AYACUCHO",
    "FUNDACIÓN MANOS SOLIDARIAS DEL SUR",
    "ASOCIACIÓN CIVIL CAMINEMOS JUNTOS",
    "ASOCIACIÓN DE PADRES DE NIÑOS CON AUTISMO DE CUSCO",
    "FUNDACIÓN RENACER ANDINO",
    "ASOCIACIÓN DE CIEGOS DE LA LIBERTAD",
    "ORGANIZACIÓN DE PERSONAS CON DISCAPACIDAD DE PUNO",
    "ASOCIACIÓN VIDA PLENA DE ICA",
    "CENTRO DE TERAPIAS INTEGRALES ESPERANZA",
    "FUNDACIÓN PASOS FIRMES",
    "ASOCIACIÓN DE PERSONAS CON DISCAPACIDAD FÍSICA DE JUNÍN",
    "COOPERATIVA DE SERVICIOS MÚLTIPLES UNIÓN ANDINA",
    "ASOCIACIÓN SEÑOR DE LOS MILAGROS DE TACNA",
    "FUNDACIÓN SONRISAS DEL ORIENTE",
    "ASOCIACIÓN DE MADRES CUIDADORAS DE SAN MARTÍN",
    "ASOCIACIÓN CIVIL MANOS QUE HABLAN",
    "CENTRO DE APOYO INTEGRAL AMANECER",
    "FUNDACIÓN LUZ DEL NORTE",
    "ASOCIACIÓN DE PERSONAS CON DISCAPACIDAD DE MADRE DE DIOS",
)
PUBLIC_HEADS = ("DIRECTOR EJECUTIVO", "DIRECTOR GENERAL", "JEFE", "PRESIDENTE DEL DIRECTORIO")
PRIVATE_HEADS = ("PRESIDENTE", "GERENTE GENERAL", "DIRECTOR", "PRESIDENTE DEL CONSEJO DIRECTIVO")

# Every n-th jurisdiction also has an authority of the previous term, so "only the current
# term counts" can be tested against real rows.
PREVIOUS_EVERY = {"GOBERNADOR_REGIONAL": 5, "ALCALDE": 150, "TITULAR": 8}


@dataclass(frozen=True)
class Row:
    kind: str
    jurisdiction: str
    role: str
    dni: str
    names: str
    period: tuple[str, str]
    entity_name: str = ""
    public: str = ""

    def cells(self) -> list[str]:
        head = [self.kind, self.jurisdiction, self.role, self.dni, self.names]
        return [*head, *self.period, self.entity_name, self.public]


class People:
    """Draws unique DNIs and Peruvian-style names: 'QUISPE MAMANI, ANA MARÍA'."""

    def __init__(self, rng: random.Random, by_dni: dict[str, str] | None = None):
        self._rng = rng
        self.by_dni: dict[str, str] = {} if by_dni is None else by_dni

    def new(self) -> tuple[str, str]:
        while True:
            dni = f"{self._rng.randrange(10_000_000, 80_000_000):08d}"
            if dni not in self.by_dni:
                break
        given = self._rng.choice((FEMALE, MALE))
        first = self._rng.choice(given)
        if " " not in first and self._rng.random() < 0.4:
            second = self._rng.choice([n for n in given if " " not in n and n != first])
            first = f"{first} {second}"
        names = f"{self._rng.choice(SURNAMES)} {self._rng.choice(SURNAMES)}, {first}"
        self.by_dni[dni] = names
        return dni, names


def new_ruc(rng: random.Random, taken: set[str]) -> str:
    while True:
        first_ten = f"20{rng.randrange(10**8):08d}"
        ruc = first_ten + str(ruc_check_digit(first_ten))
        if ruc not in taken:
            taken.add(ruc)
            return ruc


def generate() -> tuple[list[list[str]], list[list[str]]]:
    """(citizens rows, authorities rows), the same on every run."""
    rng = random.Random(SEED)
    people = People(rng)
    # The next term's people come from a stream of their own, so adding them left the
    # current term's rows exactly as they were.
    successors = People(random.Random(SEED + 2027), people.by_dni)
    rows: list[Row] = []

    def add(kind: str, code: str, role: str, index: int, entity: str = "", public: str = "") -> None:
        current = people.new()
        rows.append(Row(kind, code, role, *current, CURRENT, entity, public))
        rows.append(Row(kind, code, role, *(current if kind == "TITULAR" else successors.new()), NEXT, entity, public))
        if index % PREVIOUS_EVERY[kind] == 0:
            rows.append(Row(kind, code, role, *people.new(), PREVIOUS, entity, public))

    for i, code in enumerate(sorted(ubigeo.regions())):
        add("GOBERNADOR_REGIONAL", code, "GOBERNADOR REGIONAL", i)
    for i, code in enumerate(sorted(ubigeo.districts())):
        add("ALCALDE", code, "ALCALDE PROVINCIAL" if code.endswith("01") else "ALCALDE DISTRITAL", i)
    rucs: set[str] = set()
    entities = [(n, True) for n in PUBLIC_ENTITIES] + [(n, False) for n in PRIVATE_ENTITIES]
    for i, (name, public) in enumerate(entities):
        role = rng.choice(PUBLIC_HEADS if public else PRIVATE_HEADS)
        add("TITULAR", new_ruc(rng, rucs), role, i, name, "true" if public else "false")
    for _ in range(EXTRA_CITIZENS):
        people.new()

    citizens = [[dni, names] for dni, names in sorted(people.by_dni.items())]
    authorities = [r.cells() for r in sorted(rows, key=lambda r: (r.kind, r.jurisdiction, r.period))]
    return citizens, authorities


def write(folder: Path = DATA_DIR) -> tuple[Path, Path]:
    citizens, authorities = generate()
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / CITIZENS_FILE, folder / AUTHORITIES_FILE
    for path, header, body in (
        (paths[0], ("dni", "names"), citizens),
        (paths[1], AUTHORITY_COLUMNS, authorities),
    ):
        with path.open("w", encoding="utf-8", newline="") as f:
            out = csv.writer(f, lineterminator="\n")
            out.writerow(header)
            out.writerows(body)
    return paths


if __name__ == "__main__":
    for written in write(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA_DIR):
        print(written)
