"""Every refusal a person can meet, the framework's own included, as a Spanish page."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template

from web.sessions import to_sign_in

if TYPE_CHECKING:
    from web.gateway import NotAllowedError, SignInNeededError
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

PAGES: dict[int, tuple[str, list[str]]] = {
    400: ("La solicitud no es válida", ["Revise los datos que envió e intente nuevamente."]),
    403: (
        "La página caducó",
        [
            "Por su seguridad, el formulario solo puede enviarse desde esta página y por un tiempo limitado.",
            "Vuelva a la página anterior, recárguela y envíe el formulario otra vez.",
        ],
    ),
    404: (
        "No se encontró la página",
        [
            "Si escribió la dirección, revise que esté bien escrita.",
            "Si pegó la dirección, revise que la haya copiado completa.",
        ],
    ),
    405: ("No se puede hacer eso en esta página", ["Vuelva a la página anterior e intente nuevamente."]),
    413: (
        "El archivo es demasiado grande",
        ["El archivo o los datos enviados superan el tamaño permitido de 10 MB. Elija un archivo más pequeño."],
    ),
    429: ("Demasiadas solicitudes", ["Espere un minuto e intente nuevamente."]),
    500: (
        "Lo sentimos, hay un problema con el servicio",
        ["Intente nuevamente más tarde. Los datos que no llegó a guardar tendrá que ingresarlos otra vez."],
    ),
    503: ("El servicio no está disponible", ["Intente nuevamente en unos minutos."]),
}


def page(status: int) -> Template:
    title, paragraphs = PAGES.get(status, PAGES[400] if status < 500 else PAGES[500])
    return Template(template_name="error.html", context={"title": title, "paragraphs": paragraphs}, status_code=status)


def http_error(_request: Request, exc: HTTPException) -> Response:
    response = page(exc.status_code)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def sign_in_needed(_request: Request, exc: SignInNeededError) -> Redirect:
    return to_sign_in(exc.reason)


def not_allowed(_request: Request, exc: NotAllowedError) -> Template:
    context = {"title": "No tiene permiso para ver esta página", "paragraphs": [exc.detail]}
    return Template(template_name="error.html", context=context, status_code=403)


log = logging.getLogger("web")


def unexpected_error(request: Request, exc: Exception) -> Response:
    # The log keeps the cause; the person only needs to know it is not their fault.
    log.error("page_failed path=%s", request.url.path, exc_info=exc)
    return page(HTTP_500_INTERNAL_SERVER_ERROR)
