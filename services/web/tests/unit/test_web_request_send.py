"""Sending a request and what follows, against a stand-in gateway of this module (httpx.MockTransport)
that makes and checks real ALTCHA challenges: the guarded way without JavaScript (honeypot, too fast,
bad or foreign or expired stamp, the limit per address), the widget's way, the DDC download and its
"still generating" page, and the upload's refusal at its field."""

from __future__ import annotations

import base64
import json
import re
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from altcha import v1 as altcha
from litestar.testing import TestClient

from web.app import create_app
from web.config import Settings
from web.pages import request_send
from web.security import CSRF_COOKIE

pytestmark = pytest.mark.unit

SECRET = "s" * 32
CAPTCHA_KEY = "clave-del-reto"
REQUEST_ID = "6e445e76-0a65-4495-b543-99aa96b9fd2d"
OTHER_ID = "0b6f4a52-6a1c-4a57-9a43-0c6f0f8f3c11"
FORM = {
    "ally_type": "GOBIERNO_LOCAL",
    "ubigeo": "090102",
    "authority": {"dni": "34637406", "names": "HUARCAYA RIVERA, CAMILA SOFÍA"},
    "responsible": {"dni": "45678912", "institutional_email": "rosa@muni.gob.pe"},
}
NOT_A_PDF = "El archivo no es un PDF válido."


def view(state: str = "DRAFT", **extra) -> dict:
    return {
        "id": REQUEST_ID,
        "code": "SA-2026-K7QX-9M2P",
        "state": state,
        "state_label": {"DRAFT": "Borrador", "SUBMITTED": "Enviada"}.get(state, state),
        "attempt": 0,
        "ally_type": "GOBIERNO_LOCAL",
        "ally_type_label": "Gobierno Local",
        "jurisdiction_label": "Acobambilla, Huancavelica, Huancavelica",
        "form": FORM,
        "authority_check": None,
        "ddc": {"ready": False, "verification_code": None},
        "documents": {},
        "required_documents": ["DDC_SIGNED"],
        "due_date": None,
        "overdue": False,
        "observations": [],
        "rejection_reason": None,
        "account_username": None,
    } | extra


class Gateway:
    """The few routes these pages use, with ALTCHA challenges made and verified as access does."""

    def __init__(self, state: str = "DRAFT", **extra) -> None:
        self.view = view(state, **extra)
        self.sent: list[tuple[str, str]] = []
        self.submitted: list[str] = []
        self.ddc_status = 200
        self.upload_refusal: dict | None = None
        self.upload_intact: bool | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        self.sent.append((request.method, path))
        base = f"/api/access-requests/{REQUEST_ID}"
        routes = {
            "/api/captcha": self.captcha,
            base: lambda _request: httpx.Response(200, json=self.view),
            f"{base}/submit": self.submit,
            f"{base}/ddc": self.ddc,
            f"{base}/documents": self.upload,
        }
        if path not in routes:
            return httpx.Response(404, json={"detail": "No existe."})
        return routes[path](request)

    def captcha(self, _request: httpx.Request) -> httpx.Response:
        ch = altcha.create_challenge(
            altcha.ChallengeOptions(
                hmac_key=CAPTCHA_KEY, max_number=2_000, expires=datetime.now(UTC) + timedelta(minutes=20)
            )
        )
        fields = {"algorithm": ch.algorithm, "challenge": ch.challenge, "maxnumber": ch.max_number}
        return httpx.Response(200, json=fields | {"salt": ch.salt, "signature": ch.signature})

    def submit(self, request: httpx.Request) -> httpx.Response:
        payload = json.loads(request.content)["altcha"]
        self.submitted.append(payload)
        ok, _ = altcha.verify_solution(payload, CAPTCHA_KEY, True)
        if not ok:
            return httpx.Response(400, json={"detail": "La verificación anti-robots no es válida o expiró."})
        return httpx.Response(202, json=self.view | {"state": "SUBMITTED"})

    def ddc(self, _request: httpx.Request) -> httpx.Response:
        if self.ddc_status == 409:
            return httpx.Response(409, json={"detail": "El DDC de esta solicitud aún se está generando."})
        return httpx.Response(200, content=b"%PDF-1.7 ddc", headers={"content-type": "application/pdf"})

    def upload(self, request: httpx.Request) -> httpx.Response:
        if self.upload_refusal:
            return httpx.Response(422, json=self.upload_refusal)
        return httpx.Response(201, json={"kind": request.url.params["kind"], "intact": self.upload_intact})


def client(gateway: Gateway) -> TestClient:
    web = create_app(
        Settings(cookie_secret=SECRET, secure_cookies=False),
        gateway=httpx.AsyncClient(transport=httpx.MockTransport(gateway), base_url="http://gateway"),
    )
    return TestClient(web)


def stamp(seconds_ago: float, request_id: str = REQUEST_ID) -> str:
    return request_send.make_stamp(request_send.key_of(SECRET), request_id, time.time() - seconds_ago)


def send(c: TestClient, **fields: str) -> httpx.Response:
    page = c.get(f"/solicitud/{REQUEST_ID}/revisar")
    assert page.status_code == 200
    rendered = re.search(r'name="sello" value="([^"]+)"', page.text)
    assert rendered, "the review page carries a signed stamp"
    data = {"sello": rendered.group(1), "sitio_web": "", "_csrf_token": c.cookies[CSRF_COOKIE]} | fields
    return c.post(f"/solicitud/{REQUEST_ID}/enviar", data=data, follow_redirects=False)


def test_without_javascript_the_server_solves_the_challenge_once_the_page_was_open_long_enough() -> None:
    gateway = Gateway()
    with client(gateway) as c:
        response = send(c, sello=stamp(5))

    assert response.status_code == 303
    assert response.headers["location"] == f"/solicitud/{REQUEST_ID}/enviada"
    assert ("GET", "/api/captcha") in gateway.sent
    [payload] = gateway.submitted
    assert altcha.verify_solution(payload, CAPTCHA_KEY, True)[0]


def test_a_filled_honeypot_is_refused_on_the_same_page_and_nothing_is_sent() -> None:
    gateway = Gateway()
    with client(gateway) as c:
        response = send(c, sello=stamp(5), sitio_web="https://spam.example")

    assert response.status_code == 422
    assert request_send.HONEYPOT_REFUSED in response.text
    assert 'role="alert"' in response.text and "Revise sus respuestas" in response.text
    assert gateway.submitted == [] and ("GET", "/api/captcha") not in gateway.sent


def test_a_send_sooner_than_three_seconds_after_the_page_opened_is_refused_as_too_fast() -> None:
    gateway = Gateway()
    with client(gateway) as c:
        response = send(c)  # the stamp the page was just rendered with

    assert response.status_code == 422
    assert request_send.TOO_FAST in response.text
    assert gateway.submitted == []


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(stamp(5)[:-1] + ("0" if stamp(5)[-1] != "0" else "1"), id="signature tampered"),
        pytest.param(stamp(5, OTHER_ID), id="stamp of another request"),
        pytest.param(stamp(request_send.STAMP_MAX_AGE + 60), id="stamp expired"),
        pytest.param("", id="no stamp"),
    ],
)
def test_a_stamp_that_is_forged_foreign_expired_or_missing_is_refused(bad: str) -> None:
    gateway = Gateway()
    with client(gateway) as c:
        response = send(c, sello=bad)

    assert response.status_code == 422
    assert request_send.BAD_STAMP in response.text
    assert gateway.submitted == []


def test_guarded_sends_from_one_address_are_limited_and_the_page_says_to_wait() -> None:
    gateway = Gateway()
    with client(gateway) as c:
        c.app.state.guarded_send_limiter = request_send.GuardedSendLimiter(limit=2, window=600)
        answers = [send(c, sello=stamp(5)).status_code for _ in range(3)]
        refused = send(c, sello=stamp(5))

    assert answers == [303, 303, 429]
    assert request_send.TOO_MANY in refused.text
    assert len(gateway.submitted) == 2


def test_the_limiter_forgets_sends_older_than_its_window() -> None:
    limiter = request_send.GuardedSendLimiter(limit=1, window=60)
    assert limiter.allow("10.0.0.1", 1_000)
    assert not limiter.allow("10.0.0.1", 1_030)
    assert limiter.allow("10.0.0.2", 1_030)
    assert limiter.allow("10.0.0.1", 1_061)


def test_with_the_widget_its_solution_is_passed_on_untouched_without_a_server_side_solve() -> None:
    gateway = Gateway()
    with client(gateway) as c:
        ch = c.get("/solicitud/verificacion").json()
        number = altcha.solve_challenge(ch["challenge"], ch["salt"], ch["algorithm"], ch["maxnumber"], 0).number
        fields = {k: ch[k] for k in ("algorithm", "challenge", "salt", "signature")} | {"number": number}
        solved = base64.b64encode(json.dumps(fields).encode()).decode()
        gateway.sent.clear()
        response = send(c, altcha=solved)

    assert response.status_code == 303
    assert gateway.submitted == [solved]
    assert ("GET", "/api/captcha") not in gateway.sent


def test_an_invalid_widget_solution_shows_the_apis_reason_on_the_review_page() -> None:
    gateway = Gateway()
    with client(gateway) as c:
        response = send(c, altcha=base64.b64encode(b'{"number": 1}').decode())

    assert response.status_code == 422
    assert "La verificación anti-robots no es válida o expiró." in response.text
    assert 'href="#enviar"' in response.text


def test_the_ddc_is_a_pdf_attachment_and_while_it_is_generated_a_page_says_to_retry() -> None:
    gateway = Gateway("SUBMITTED")
    with client(gateway) as c:
        ready = c.get(f"/solicitud/{REQUEST_ID}/ddc")
        gateway.ddc_status = 409
        waiting = c.get(f"/solicitud/{REQUEST_ID}/ddc")

    assert ready.status_code == 200 and ready.content.startswith(b"%PDF")
    assert ready.headers["content-type"] == "application/pdf"
    assert ready.headers["content-disposition"] == 'attachment; filename="DDC-SA-2026-K7QX-9M2P.pdf"'
    assert waiting.status_code == 409
    assert "El DDC se está generando; vuelva a intentarlo en unos segundos." in waiting.text
    assert f'href="/solicitud/{REQUEST_ID}/ddc"' in waiting.text


def test_a_refused_upload_shows_the_apis_reason_at_the_file_field() -> None:
    gateway = Gateway("SUBMITTED", ddc={"ready": True, "verification_code": "ABC"})
    gateway.upload_refusal = {"detail": NOT_A_PDF, "errors": None}
    with client(gateway) as c:
        c.get(f"/solicitud/{REQUEST_ID}/documentos")
        response = c.post(
            f"/solicitud/{REQUEST_ID}/documentos",
            data={"_csrf_token": c.cookies[CSRF_COOKIE]},
            files={"archivo-DDC_SIGNED": ("notas.txt", b"hola", "text/plain")},
            follow_redirects=False,
        )

    assert response.status_code == 422
    assert f'<a href="#archivo-DDC_SIGNED">{NOT_A_PDF}</a>' in response.text
    assert re.search(r'id="archivo-DDC_SIGNED-error">.*' + re.escape(NOT_A_PDF), response.text)


def test_an_upload_whose_signature_no_longer_holds_is_taken_and_the_applicant_told_at_once() -> None:
    gateway = Gateway("SUBMITTED", ddc={"ready": True, "verification_code": "ABC"})
    gateway.upload_intact = False
    with client(gateway) as c:
        c.get(f"/solicitud/{REQUEST_ID}/documentos")
        response = c.post(
            f"/solicitud/{REQUEST_ID}/documentos",
            data={"_csrf_token": c.cookies[CSRF_COOKIE]},
            files={"archivo-DDC_SIGNED": ("ddc.pdf", b"%PDF-1.7 firmado y luego cambiado", "application/pdf")},
        )

    assert response.status_code == 200
    assert str(response.url).endswith("?subidos=DDC_SIGNED&alterados=DDC_SIGNED")
    assert "Atención:</strong> la firma digital del DDC firmado no es válida" in response.text


def test_the_status_page_gives_the_due_date_in_peruvian_form_and_never_a_password() -> None:
    gateway = Gateway(
        "PENDING_EVALUATION",
        due_date="2026-12-10",
        authority_check={"result": "MATCH", "reason": "El DNI corresponde al alcalde."},
        documents={
            "DDC_SIGNED": {
                "kind": "DDC_SIGNED",
                "sha256": "0" * 64,
                "size": 10,
                "digitally_signed": True,
                "signer": "HUARCAYA RIVERA, CAMILA SOFÍA",
                "intact": True,
            }
        },
    )
    with client(gateway) as c:
        page = c.get(f"/solicitud/{REQUEST_ID}/estado").text

    assert "En evaluación, a más tardar 10/12/2026 (5 días hábiles)" in page
    assert "Coincide con el registro oficial" in page
    assert "firmado digitalmente por HUARCAYA RIVERA, CAMILA SOFÍA; íntegro" in page
    assert "contraseña" not in page.lower()


def test_the_review_page_with_the_widget_stays_under_100_kb_with_its_styles_and_scripts() -> None:
    with client(Gateway()) as c:
        page = c.get(f"/solicitud/{REQUEST_ID}/revisar")
        assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
        worker = re.search(r'workerurl="([^"]+)"', page.text)
        assert worker and set(assets) >= {"/static/altcha/altcha.min.js", "/static/altcha/altcha.css"}
        total = len(page.content) + sum(len(c.get(a).content) for a in [*set(assets), worker.group(1)])

    assert total < 100 * 1024


def test_an_incomplete_form_is_refused_with_links_to_each_answer_on_the_data_page() -> None:
    gateway = Gateway()
    errors = {"ubigeo": "Seleccione el distrito.", "responsible.office": "Ingrese la oficina."}
    refusal = httpx.Response(422, json={"detail": "Hay errores en el formulario.", "errors": errors})
    gateway.submit = lambda _request: refusal  # type: ignore[method-assign]
    with client(gateway) as c:
        response = send(c, sello=stamp(5))

    assert response.status_code == 422
    base = f"/solicitud/{REQUEST_ID}/datos"
    assert f'<a href="{base}#district">Seleccione el distrito.</a>' in response.text
    assert f'<a href="{base}#responsible.office">Ingrese la oficina.</a>' in response.text


@pytest.mark.parametrize(
    ("state", "extra", "steps"),
    [
        ("DRAFT", {}, ["Guardado", "Pendiente", "Aún no disponible", "Aún no disponible", "Aún no disponible"]),
        (
            "SUBMITTED",
            {"ddc": {"ready": True, "verification_code": "X"}},
            ["Guardado", "Enviada", "Listo para descargar", "Pendiente", "Aún no disponible"],
        ),
        (
            "OBSERVED",
            {"observations": ["Corrija el cargo."]},
            ["Guardado", "Observada: corrija y envíe de nuevo", "Aún no disponible", "Aún no disponible", "Observada"],
        ),
    ],
)
def test_the_steps_show_how_far_the_request_has_gone(state: str, extra: dict, steps: list[str]) -> None:
    with client(Gateway(state, **extra)) as c:
        page = c.get(f"/solicitud/{REQUEST_ID}/pasos").text

    shown = re.findall(r'<strong class="tag" id="tarea-\d+-estado">([^<]+)</strong>', page)
    assert shown[1:] == steps
    assert (f'href="/solicitud/{REQUEST_ID}/ddc"' in page) == (state == "SUBMITTED")
    assert (f'href="/solicitud/{REQUEST_ID}/datos"' in page) == (state in ("DRAFT", "OBSERVED"))
