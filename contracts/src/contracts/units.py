"""The programme's units (PNPDS CONTIGO) that oficios are routed to and that sign documents, shared by all services."""

from __future__ import annotations

UNITS: dict[str, str] = {
    "DE": "Dirección Ejecutiva",
    "UAC": "Unidad de Acompañamiento",
    "UOT": "Unidad de Operaciones y Transferencia",
    "UPP": "Unidad de Planeamiento y Presupuesto",
    "UAJ": "Unidad de Asesoría Jurídica",
    "UA": "Unidad de Administración",
    "UTI": "Unidad de Tecnologías de la Información",
}


def is_unit(code: str) -> bool:
    return code in UNITS
