"""The e-mails of an approval, in Peruvian Spanish: the credentials to the responsible person alone, a notice without
the password to the authority; and their place in the mail outbox (no driver)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from contracts.events import AccessApproved, Jurisdiction
from identity.domain import describe_jurisdiction


@dataclass(frozen=True)
class Mail:
    to: str
    cc: str | None
    subject: str
    body: str


@dataclass(frozen=True)
class QueuedMail:
    """A letter waiting in the mail outbox: its body stays sealed until the moment it is sent."""

    message_id: str
    to: str
    cc: str | None
    subject: str
    sealed_body: bytes
    written_at: datetime
    attempts: int

    def opened(self, body: str) -> Mail:
        return Mail(to=self.to, cc=self.cc, subject=self.subject, body=body)


def credentials_subject(code: str) -> str:
    return f"Credenciales de acceso a USUARIO ALIADO - solicitud {code}"


def credentials_letter(
    event: AccessApproved, jurisdiction: Jurisdiction, username: str, password: str, public_url: str
) -> Mail:
    body = f"""Estimado(a) {event.responsible_names}:

Su solicitud de acceso {event.code} al aplicativo USUARIO ALIADO del Programa CONTIGO ha sido
aprobada. Usted es el/la responsable del acceso para:

    {describe_jurisdiction(jurisdiction)}

Sus credenciales de acceso son:

    Usuario:     {username}
    Contraseña:  {password}

Ingrese al aplicativo en: {public_url.rstrip("/")}

Tenga en cuenta:

- Estas credenciales son personales e intransferibles: no las comparta ni las anote en lugares
  visibles.
- Estas credenciales no pueden ser modificadas. Si se necesita cambiar a la persona responsable del
  acceso, la autoridad debe presentar una nueva solicitud; cuando esta se apruebe, las presentes
  credenciales quedarán revocadas.
- Conforme a la Ley N.° 29733, Ley de Protección de Datos Personales, y al Documento de
  Declaración de Confidencialidad suscrito, usted está obligado(a) a guardar confidencialidad
  sobre los datos personales a los que acceda y a usarlos solo para los fines del Programa,
  aun después de concluido su acceso.

La autoridad que propuso el acceso, {event.authority_names}, recibe aparte un aviso de la
aprobación, sin su contraseña.

Atentamente,

Programa Nacional de Entrega de la Pensión No Contributiva a Personas con Discapacidad Severa
en Situación de Pobreza - CONTIGO

Este es un mensaje automático; por favor, no responda a este correo.
"""
    # To the responsible person alone: the password is theirs, not the authority's (Ley 29733).
    return Mail(to=event.responsible_email, cc=None, subject=credentials_subject(event.code), body=body)


AUTHORITY_NOTICE_SUBJECT = "Solicitud de acceso aprobada - USUARIO ALIADO - Programa CONTIGO"
"""Without the request code: the credentials e-mail is the one whose subject names it."""


def authority_notice(event: AccessApproved, jurisdiction: Jurisdiction, username: str) -> Mail | None:
    """The authority's own message: the request was approved, the account's username and who holds it; never the
    password. None when the approval names no e-mail of the authority."""
    if not event.authority_email:
        return None
    body = f"""Estimado(a) {event.authority_names}:

La solicitud de acceso {event.code} al aplicativo USUARIO ALIADO del Programa CONTIGO, que usted
propuso, ha sido aprobada para:

    {describe_jurisdiction(jurisdiction)}

Se creó la cuenta:

    Usuario:      {username}
    Responsable:  {event.responsible_names}

La contraseña se envió solo a la persona responsable del acceso, a su correo electrónico. Por su
seguridad, el Programa no la comunica a nadie más.

Tenga en cuenta:

- Estas credenciales no pueden ser modificadas. Si se necesita cambiar a la persona responsable del
  acceso, usted debe presentar una nueva solicitud; cuando esta se apruebe, la cuenta actual quedará
  revocada.
- Conforme a la Ley N.° 29733, Ley de Protección de Datos Personales, y al Documento de
  Declaración de Confidencialidad suscrito, la persona responsable está obligada a guardar
  confidencialidad sobre los datos personales a los que acceda.

Atentamente,

Programa Nacional de Entrega de la Pensión No Contributiva a Personas con Discapacidad Severa
en Situación de Pobreza - CONTIGO

Este es un mensaje automático; por favor, no responda a este correo.
"""
    return Mail(to=event.authority_email, cc=None, subject=AUTHORITY_NOTICE_SUBJECT, body=body)


def staff_letter(
    full_name: str, to: str, role_name: str, scope: str, username: str, password: str, public_url: str
) -> Mail:
    """The one e-mail that hands a staff account created by an administrator its password."""
    body = f"""Estimado(a) {full_name}:

Un administrador del Programa CONTIGO ha creado para usted una cuenta del personal en el
aplicativo USUARIO ALIADO:

    Rol:         {role_name}
    Ámbito:      {scope}

Sus credenciales de acceso son:

    Usuario:     {username}
    Contraseña:  {password}

Ingrese al aplicativo en: {public_url.rstrip("/")}

Tenga en cuenta:

- La contraseña se muestra solo en este correo: no se la podemos volver a enviar ni aparece en el
  aplicativo. Guárdela en un lugar seguro.
- Estas credenciales son personales e intransferibles: no las comparta ni las anote en lugares
  visibles.
- Conforme a la Ley N.° 29733, Ley de Protección de Datos Personales, usted está obligado(a) a
  guardar confidencialidad sobre los datos personales a los que acceda y a usarlos solo para los
  fines del Programa.

Atentamente,

Programa Nacional de Entrega de la Pensión No Contributiva a Personas con Discapacidad Severa
en Situación de Pobreza - CONTIGO

Este es un mensaje automático; por favor, no responda a este correo.
"""
    return Mail(to=to, cc=None, subject="Su cuenta del personal en USUARIO ALIADO - Programa CONTIGO", body=body)
