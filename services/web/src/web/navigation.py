"""The links at the top of every page, by who is signed in.

Each page module owns its addresses; this is the one list of the places a person can go, so the
header says the same thing on every page. The API scopes every answer anyway: a link not shown
is a convenience, never the guard (``web.gateway.require`` and the gateway are).
"""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request

from web.sessions import Account, account


@dataclass(frozen=True)
class Link:
    href: str
    label: str


ALLY = (Link("/panel", "Panel"), Link("/padron", "Padrón"))
LOCAL_GOVERNMENT = (Link("/beneficiarios", "Beneficiarios"), Link("/afiliaciones", "Solicitudes de afiliación"))
STAFF = (
    Link("/evaluacion", "Evaluación"),
    Link("/panel", "Panel"),
    Link("/gestion/alertas", "Alertas"),
    Link("/gestion/fad", "FAD"),
    Link("/gestion/afiliaciones", "Afiliaciones"),
    Link("/gestion/padron", "Padrón"),
    Link("/gestion/registro-de-accesos", "Registro de accesos"),
)
ADMIN = (Link("/gestion/cuentas", "Cuentas"),)
CTVC = (Link("/ctvc", "Casos CTVC"),)
CASES = (Link("/gestion/casos", "Casos"), Link("/gestion/casos/reporte", "Reporte de casos"))


# Roles whose links are one fixed list (an ally's depend on its type).
BY_ROLE = {"ADMIN": STAFF + CASES[:1] + ADMIN, "EVALUATOR": STAFF, "CTVC": CTVC, "ANALYST": CASES}


def links_of(signed_in: Account | None) -> tuple[Link, ...]:
    if signed_in is None:
        return ()
    if signed_in.role in BY_ROLE:
        return BY_ROLE[signed_in.role]
    if signed_in.claims.get("ally_type") == "GOBIERNO_LOCAL":
        return ALLY[:1] + LOCAL_GOVERNMENT + ALLY[1:]
    return ALLY


def nav_links(request: Request) -> tuple[Link, ...]:
    """For the templates: the current person's links."""
    return links_of(account(request))
