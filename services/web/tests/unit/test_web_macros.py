"""The pattern macros later pages build on: what a screen reader is told, from the markup alone."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

import web

pytestmark = pytest.mark.unit

TEMPLATES = Path(web.__file__).parent / "templates"


def render(call: str) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    return env.from_string('{% import "macros.html" as m %}' + call).render()


def test_a_field_with_an_error_ties_its_hint_and_error_to_the_input_and_the_summary_links_to_it() -> None:
    html = render(
        '{{ m.error_summary([{"field": "dni", "message": "Ingrese un DNI de 8 dígitos"}]) }}'
        '{{ m.field("dni", "DNI", value="123", hint="8 dígitos", error="Ingrese un DNI de 8 dígitos") }}'
    )

    assert '<a href="#dni">Ingrese un DNI de 8 dígitos</a>' in html
    assert 'role="alert"' in html
    assert 'aria-describedby="dni-pista dni-error"' in html
    assert 'aria-invalid="true"' in html
    assert '<label class="label" for="dni">DNI</label>' in html


def test_a_table_has_its_caption_and_row_headers_and_a_summary_row_names_what_it_changes() -> None:
    table = render('{{ m.table("Solicitudes", ["Código", "Estado"], [["SOL-1", "Enviada"]]) }}')
    summary = render('{{ m.summary_list([{"key": "DNI", "value": "1", "href": "/x", "change": "el DNI"}]) }}')

    assert '<caption class="table__caption">Solicitudes</caption>' in table
    assert '<th scope="col">Código</th>' in table and '<th scope="row">SOL-1</th>' in table
    assert '<span class="visually-hidden"> el DNI</span>' in summary


def test_a_task_list_gives_each_task_its_status_and_links_only_those_that_can_start() -> None:
    html = render(
        '{{ m.task_list([{"label": "Datos", "href": "/datos", "status": "Completado"},'
        ' {"label": "DDC", "href": "", "status": "No disponible"}]) }}'
    )

    assert '<a href="/datos" aria-describedby="tarea-1-estado">Datos</a>' in html
    assert "<span>DDC</span>" in html
    assert 'id="tarea-2-estado">No disponible</strong>' in html
