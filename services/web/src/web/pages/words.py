"""The programme's words for the API's codes, once for every page (DESIGN.md's word table, in
Peruvian Spanish): a status, a category or an alert type reads the same wherever it is shown."""

from __future__ import annotations

ALLY_TYPES = {
    "GOBIERNO_REGIONAL": "Gobierno regional",
    "GOBIERNO_LOCAL": "Gobierno local",
    "OTRO_ALIADO": "Otro aliado estratégico",
}
ROLES = {
    "ALLY": "Aliado estratégico",
    "EVALUATOR": "Evaluador",
    "ADMIN": "Administrador",
    "CTVC": "CTVC",
    "ANALYST": "Analista",
}
STAFF_ROLES = {
    "CTVC": "Comité de Transparencia y Vigilancia Ciudadana (CTVC)",
    "ANALYST": "Analista de unidad",
    "EVALUATOR": "Evaluador",
    "ADMIN": "Administrador",
}
# The programme's units, as contracts/units.py names them (identity refuses any other code).
UNITS = {
    "DE": "Dirección Ejecutiva",
    "UAC": "Unidad de Acompañamiento",
    "UOT": "Unidad de Operaciones y Transferencia",
    "UPP": "Unidad de Planeamiento y Presupuesto",
    "UAJ": "Unidad de Asesoría Jurídica",
    "UA": "Unidad de Administración",
    "UTI": "Unidad de Tecnologías de la Información",
}
STATUSES = {"VIGENTE": "Vigente", "SUSPENDIDO": "Suspendido", "DESAFILIADO": "Desafiliado"}
CATEGORIES = {
    "CONTINUADOR": "Continuador",
    "NUEVO": "Nuevo",
    "REINCORPORADO": "Reincorporado",
    "SUSPENDIDO": "Suspendido",
    "DESAFILIADO": "Desafiliado",
}
AFFILIATION_STATES = {"PENDIENTE": "Pendiente", "CONFORME": "Conforme", "NO_CONFORME": "No conforme"}
ALERT_TYPES = {
    "FALLECIMIENTO": "Fallecimiento",
    "CAMBIO_DE_DOMICILIO": "Cambio de domicilio",
    "NO_COBRA": "No cobra la pensión",
    "EN_RIESGO": "En situación de riesgo",
    "OTRO": "Otro motivo",
}
ALERT_STATES = {"ABIERTA": "Abierta", "ATENDIDA": "Atendida"}
FAD_STATES = {"PENDIENTE": "Pendiente", "APROBADA": "Aprobada", "RECHAZADA": "Rechazada"}
AUTHORIZATION_STATES = {"VIGENTE": "Vigente", "VENCIDA": "Vencida", "REVOCADA": "Revocada"}
# --- Casos de los CTVC (the cases service's codes) -----------------------------------------------
POINT_CATEGORIES = {
    "SIN_CAPACITACION": "No recibió capacitación",
    "SIN_CREDENCIALES": "No se entregaron credenciales",
    "SIN_COMUNICACION": "No puede comunicarse con el programa",
    "PAGO": "Pago de la pensión",
    "AFILIACION": "Afiliación",
    "OTRO": "Otro",
}
CASE_STATES = {"ABIERTO": "Abierto", "RESUELTO": "Resuelto", "RESPONDIDO": "Respondido"}
CONCLUSIONS = {"FUNDADO": "Fundado", "INFUNDADO": "Infundado"}
EVIDENCE_GROUPS = {
    "ACCOUNTS": "Cuentas de usuario",
    "REQUESTS": "Solicitudes de acceso",
    "TRAININGS": "Capacitaciones",
    "COVERAGE": "Cobertura del padrón",
}
ACTION_STATES = {"PENDIENTE": "Pendiente", "EN_CURSO": "En curso", "CUMPLIDA": "Cumplida"}
