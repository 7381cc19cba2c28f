"""The pages' client of the gateway: refusals kept for the form, the rest turned into errors; the header's links."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from litestar.exceptions import HTTPException

from web.gateway import NotAllowedError, RefusedError, SignInNeededError, check
from web.navigation import links_of
from web.sessions import Account

pytestmark = pytest.mark.unit


class Request:
    """As much of a request as ``check`` touches: ending the session."""

    def __init__(self) -> None:
        self.cleared = False

    def clear_session(self) -> None:
        self.cleared = True


def answer(status: int, body: dict | None = None) -> httpx.Response:
    return httpx.Response(status, json=body or {})


def test_a_refusal_keeps_the_apis_spanish_detail_and_field_errors_for_the_form() -> None:
    with pytest.raises(RefusedError) as refused:
        check(
            Request(),
            answer(422, {"detail": "Hay datos que faltan.", "errors": {"authority.dni": "Debe tener 8 dígitos."}}),
        )
    assert (refused.value.status, refused.value.detail) == (422, "Hay datos que faltan.")
    assert refused.value.errors == {"authority.dni": "Debe tener 8 dígitos."}
    with pytest.raises(RefusedError) as bare:
        check(Request(), httpx.Response(409, content=b"not json"))
    assert bare.value.detail == "Revise los datos e intente nuevamente."


@pytest.mark.parametrize(("status", "page"), [(500, 503), (502, 503), (503, 503), (429, 429)])
def test_what_no_form_can_fix_becomes_a_page(status: int, page: int) -> None:
    with pytest.raises(HTTPException) as raised:
        check(Request(), answer(status))
    assert raised.value.status_code == page


def test_with_a_token_401_ends_the_session_and_403_is_not_allowed() -> None:
    request = Request()
    with pytest.raises(SignInNeededError) as ended:
        check(request, answer(401, {"detail": "Sesión vencida."}), token="t")  # type: ignore[arg-type]
    assert ended.value.reason == "terminada" and request.cleared
    with pytest.raises(NotAllowedError) as refused:
        check(Request(), answer(403, {"detail": "Fuera de su jurisdicción."}), token="t")  # type: ignore[arg-type]
    assert refused.value.detail == "Fuera de su jurisdicción."
    # Without a token (an applicant), a 401 or 403 is the form's to show.
    with pytest.raises(RefusedError):
        check(Request(), answer(403, {"detail": "No."}))  # type: ignore[arg-type]


def account(**claims: str) -> Account:
    return Account(claims=claims, token="t", expires_at=datetime(2026, 12, 2, tzinfo=UTC))


def test_each_kind_of_account_gets_its_own_links() -> None:
    assert links_of(None) == ()
    staff = [link.href for link in links_of(account(role="EVALUATOR"))]
    assert staff[0] == "/evaluacion" and "/gestion/registro-de-accesos" in staff
    local = [link.href for link in links_of(account(role="ALLY", ally_type="GOBIERNO_LOCAL"))]
    assert local == ["/panel", "/beneficiarios", "/afiliaciones", "/padron"]
    regional = [link.href for link in links_of(account(role="ALLY", ally_type="GOBIERNO_REGIONAL"))]
    assert regional == ["/panel", "/padron"]


def test_every_call_says_whose_it_is_with_the_shared_key_and_reference_lists_are_asked_once() -> None:
    from litestar.testing import TestClient

    from web.app import create_app
    from web.config import Settings

    seen: list[httpx.Request] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=[{"code": "09", "name": "Huancavelica"}])

    client = httpx.AsyncClient(transport=httpx.MockTransport(gateway), base_url="http://gateway.test")
    settings = Settings(cookie_secret="s" * 32, secure_cookies=False, proxy_key="clave-compartida")
    with TestClient(create_app(settings, gateway=client), base_url="http://testserver.local") as c:
        for _ in range(2):
            assert c.get("/solicitar-acceso/datos?tipo=GOBIERNO_REGIONAL").status_code == 200
    assert [r.url.path for r in seen] == ["/api/ubigeo/regions"]
    assert seen[0].headers["x-contigo-proxy-key"] == "clave-compartida"
    assert seen[0].headers["x-contigo-client"] == "testclient"


async def test_timed_out_sessions_are_swept_from_the_store_even_if_never_asked_for_again() -> None:
    import asyncio

    from litestar.stores.memory import MemoryStore

    from web.sessions import sweep_expired

    store = MemoryStore()
    await store.set("caducada", b"token", expires_in=1)
    await store.set("vigente", b"token", expires_in=600)
    await asyncio.sleep(1.05)
    sweeper = asyncio.create_task(sweep_expired(store, every=0.01))
    await asyncio.sleep(0.1)
    sweeper.cancel()
    # Read underneath: asking the store for a key would itself drop it, which is what is not tested.
    assert [key for key in ("caducada", "vigente") if key in store._store] == ["vigente"]
