"""Opciones de accesibilidad (a form, no script needed) and the Declaración de accesibilidad."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Request, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from web.preferences import Options

PATH = "/opciones-de-accesibilidad"


class OptionsForm(msgspec.Struct, kw_only=True):
    # An unticked checkbox is simply absent from the form.
    texto_grande: str = ""
    alto_contraste: str = ""


@get(PATH, include_in_schema=False)
async def accessibility_options(request: Request, guardado: FromQuery[str] = "") -> Template:
    context = {"options": Options.of(request), "saved": guardado == "si"}
    return Template(template_name="accessibility_options.html", context=context)


@post(PATH, include_in_schema=False, status_code=303)
async def save_accessibility_options(
    state: State, data: Annotated[OptionsForm, Body(media_type=RequestEncodingType.URL_ENCODED)]
) -> Redirect:
    options = Options(large_text=data.texto_grande == "si", high_contrast=data.alto_contraste == "si")
    # Post, redirect, get: reloading the page does not send the form again.
    return Redirect(f"{PATH}?guardado=si", status_code=303, cookies=[options.cookie(secure=state.secure_cookies)])


@get("/declaracion-de-accesibilidad", include_in_schema=False)
async def accessibility_statement() -> Template:
    return Template(template_name="accessibility_statement.html")
