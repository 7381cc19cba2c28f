"""The gateway's published OpenAPI document, composed from the services' own documents.

Each gateway route that relays names its service and the service's path (``opt``); its operation
in the published document is the gateway's (path, summary, tag) with the service's request body,
query parameters and answers, plus what the gateway itself may answer (401, 403, 413, 429, 503).
A route whose service has no such operation stops the build: the two have drifted apart.

``contigo openapi --write`` writes ``services/gateway/src/gateway/openapi.json``; ``--check`` fails
when the committed file differs. Built in memory: no database, broker or server is needed.
"""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

from faststream.kafka import KafkaBroker

import gateway.app
import gateway.config
from authkit import load_or_create_private_key, public_path
from contigo.services import SERVICES, build_app
from eventkit.http import REFUSALS

PUBLISHED = Path(gateway.app.__file__).with_name("openapi.json")
REF = "#/components/schemas/"
METHODS = ("get", "put", "post", "delete", "patch")
# Query parameters the gateway sets itself (the attempt access says is current), not the client.
GATEWAY_SUPPLIED = {"attempt"}
SECURITY = {"sesion": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
FILES = {
    "pdf": ("El PDF (máx. 10 MB).", {}),
    "csv": ("El padrón en CSV (UTF-8, máx. 512 MB).", {"text/csv": {"schema": {"type": "string"}}}),
}


def upload_body(kind: str) -> dict[str, Any]:
    """The body of an upload route: a multipart ``file`` field (and, for a CSV, the CSV itself)."""
    description, raw = FILES[kind]
    field = {"type": "string", "format": "binary", "description": description}
    multipart = {"schema": {"type": "object", "required": ["file"], "properties": {"file": field}}}
    return {"required": True, "content": {"multipart/form-data": multipart, **raw}}


def service_documents() -> dict[str, dict[str, Any]]:
    """Each service's own OpenAPI document, from its app built with placeholder settings (never started)."""
    with tempfile.TemporaryDirectory(prefix="contigo-openapi-") as tmp:
        key = Path(tmp) / "token.pem"
        load_or_create_private_key(key)
        env = {
            "database_url": "postgresql://openapi@127.0.0.1:1/openapi",
            "kafka_bootstrap": "in-memory",
            "storage_dir": tmp,
            "token_key_file": str(key),
            "token_public_key_file": str(public_path(key)),
        }
        broker = KafkaBroker("openapi", logger=None)
        return {entry.name: build_app(entry, env, broker).openapi_schema.to_schema() for entry in SERVICES}


def _refs(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, dict):
        return {k: (_renamed_ref(v, renamed) if k == "$ref" else _refs(v, renamed)) for k, v in value.items()}
    if isinstance(value, list):
        return [_refs(v, renamed) for v in value]
    return value


def _renamed_ref(ref: str, renamed: dict[str, str]) -> str:
    name = ref.removeprefix(REF)
    return REF + renamed.get(name, name) if ref.startswith(REF) else ref


def merge_schemas(docs: dict[str, dict[str, Any]], into: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Every service's component schemas in ``into``; a name two services use differently is
    prefixed with the service's. Returns, per service, the names it renamed."""
    renames: dict[str, dict[str, str]] = {}
    for service, doc in docs.items():
        schemas = doc.get("components", {}).get("schemas", {})
        renamed = {n: f"{service.title()}{n}" for n, s in schemas.items() if n in into and into[n] != s}
        for name, schema in schemas.items():
            into[renamed.get(name, name)] = _refs(schema, renamed)
        renames[service] = renamed
    return renames


def _refusal(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": REF + "ErrorBody"}}}}


def relayed_operation(base: dict[str, Any], owned: dict[str, Any], opt: dict[str, Any]) -> dict[str, Any]:
    """The gateway's operation ``base`` with the bodies and answers of the service's ``owned`` one."""
    operation = copy.deepcopy(base)
    # Litestar lists path parameters in set order (it varies with the hash seed): sorted, the document is stable.
    path_params = sorted((p for p in operation.get("parameters", []) if p.get("in") == "path"), key=lambda p: p["name"])
    query = [p for p in owned.get("parameters", []) if p.get("in") == "query" and p["name"] not in GATEWAY_SUPPLIED]
    operation["parameters"] = path_params + query
    if not operation["parameters"]:
        del operation["parameters"]
    if "requestBody" in owned:
        operation["requestBody"] = owned["requestBody"]
    elif opt.get("upload"):
        operation["requestBody"] = upload_body(opt["upload"])
    else:
        operation.pop("requestBody", None)
    if owned.get("description"):
        operation["description"] = owned["description"]
    operation["responses"] = dict(owned["responses"])
    return operation


def with_gateway_answers(operation: dict[str, Any], opt: dict[str, Any]) -> dict[str, Any]:
    """``operation`` with what the gateway itself may answer, and the session it needs."""
    responses = dict(operation.get("responses", {}))
    extra = {503: "El servicio que responde no está disponible; reintente en unos minutos."}
    if "400" in responses:
        # Litestar documents its own 400 shape; the kit answers every refusal as ErrorBody.
        responses["400"] = _refusal("La solicitud no es válida (p. ej., un valor de la ruta o un JSON mal formado).")
    if "requestBody" in operation or any(p.get("in") == "query" for p in operation.get("parameters", [])):
        extra[422] = REFUSALS[422].replace("``", "")
    if opt.get("caller") in ("session", "evaluator"):
        extra[401] = "Falta la sesión, venció o fue revocada."
        operation["security"] = [{"sesion": []}]
    if opt.get("caller") == "evaluator":
        extra[403] = "La cuenta no es de personal evaluador."
    if opt.get("rate_limited"):
        extra[429] = REFUSALS[429]
    if opt.get("upload"):
        extra[413] = "El archivo supera el límite permitido."
    for status, description in extra.items():
        responses.setdefault(str(status), _refusal(description))
    operation["responses"] = dict(sorted(responses.items()))
    return operation


def owned_operation(
    docs: dict[str, dict[str, Any]], renames: dict[str, dict[str, str]], path: str, method: str, opt: dict[str, Any]
) -> dict[str, Any]:
    """The service's own operation a gateway route relays to; a drift between the two stops the build."""
    service, target = opt["service"], opt["target"]
    owned = docs[service].get("paths", {}).get(target, {}).get(method)
    if owned is None:
        raise LookupError(f"{method.upper()} {path} relays to {service} {target}, which has no such route")
    return _refs(owned, renames[service])


def compose() -> dict[str, Any]:
    """The published document: every public route of the gateway, each with its service's bodies and answers."""
    docs = service_documents()
    app = gateway.app.create_app(gateway.config.Settings(), clients={})
    own = app.openapi_schema.to_schema()
    schemas: dict[str, Any] = dict(own.get("components", {}).get("schemas", {}))
    renames = merge_schemas(docs, schemas)
    paths: dict[str, Any] = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not handler.include_in_schema or route.path_format not in own["paths"]:
                continue
            opt = handler.opt
            for method in sorted(m.lower() for m in handler.http_methods):
                operation = own["paths"][route.path_format][method]
                if "service" in opt:
                    operation = relayed_operation(
                        operation, owned_operation(docs, renames, route.path_format, method, opt), opt
                    )
                paths.setdefault(route.path_format, {})[method] = with_gateway_answers(copy.deepcopy(operation), opt)
    return {
        "openapi": own["openapi"],
        "info": {
            "title": gateway.app.TITLE,
            "version": gateway.app.VERSION,
            "description": (
                "API pública de USUARIO ALIADO (Programa CONTIGO). Cada operación lleva los cuerpos y "
                "respuestas del servicio que la atiende; los rechazos responden {detail, errors} en español."
            ),
        },
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(schemas.items())), "securitySchemes": SECURITY},
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main(mode: str) -> int:
    """``print`` the document, ``write`` it to the gateway's package, or ``check`` the committed one."""
    text = render(compose())
    if mode == "write":
        PUBLISHED.write_text(text, encoding="utf-8")
        print(f"wrote {PUBLISHED}")
    elif mode == "check":
        if PUBLISHED.read_text(encoding="utf-8") != text:
            print(f"{PUBLISHED} is out of date: run `uv run contigo openapi --write` and commit it")
            return 1
        print(f"{PUBLISHED} is up to date")
    else:
        print(text, end="")
    return 0
