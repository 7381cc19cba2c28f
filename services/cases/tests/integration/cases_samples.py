"""Oficios the cases integration tests file: numbers nobody else in the test database has."""

from __future__ import annotations

import random
import string
import uuid


def numbers() -> tuple[str, str, str]:
    """An oficio and two case numbers nobody else in the test database has."""

    def case() -> str:
        letters = "".join(random.choices(string.ascii_uppercase, k=5))
        return f"{random.randrange(10**4):04d}-{random.randrange(2000, 2100)}-CTVC/{letters}"

    return f"OFICIO N° {uuid.uuid4().hex[:12]}-2022-CTVC/HUANCAVELICA", case(), case()


def an_oficio(number: str, first: str, second: str) -> dict:
    return {
        "number": number,
        "sent_on": "2022-08-10",
        "received_on": "2022-08-11",
        "sender": "Presidente del CTVC Huancavelica",
        "cases": [
            {
                "number": first,
                "ubigeo": "090101",
                "points": [
                    {"category": "SIN_CAPACITACION", "description": "La OMAPED no recibió capacitación."},
                    {"category": "SIN_CREDENCIALES", "description": "No tiene usuario del aplicativo."},
                ],
                "interviewees": [{"role": "Responsable", "office": "OMAPED", "names": "ANA QUISPE MAMANI"}],
            },
            {
                "number": second,
                "ubigeo": "090201",
                "points": [{"category": "PAGO", "description": "Usuarios no cobran hace dos periodos."}],
            },
        ],
    }
