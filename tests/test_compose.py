"""Static checks of the distributed run: docker-compose.yml and deploy/Dockerfile.

No Docker engine is needed: the compose file is validated against the vendored
Compose Specification schema (deploy/compose/compose-spec.json, see the README
there) and cross-checked against the repository and the runtime contract.
"""

from __future__ import annotations

import ast
import glob
import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
SCHEMA_FILE = ROOT / "deploy" / "compose" / "compose-spec.json"

# The runtime contract: one process per service, each on its own port.
SERVICE_PORTS = {
    "gateway": 8000,
    "identity": 8001,
    "access": 8002,
    "documents": 8003,
    "padron": 8004,
    "cases": 8005,
    "web": 8006,
}
# Those that own data; the gateway and the web application only relay and render.
BACKENDS = {"identity", "access", "documents", "padron", "cases"}
BACKENDS_FOR_DB = sorted(BACKENDS)
# The two an ally's browser reaches, each on its own loopback port.
PUBLISHED = {"gateway": 8000, "web": 8006}
INFRASTRUCTURE = {"kafka", "postgres", "minio", "init"}
# Ports the infrastructure containers listen on inside the compose network.
INFRASTRUCTURE_PORTS = {
    "kafka": {9092, 9093},
    "postgres": {5432},
    "minio": {9000, 9001},
    "mailpit": {1025, 8025},
}
LOOPBACK = "127.0.0.1"

# What every application container must be told, and the extras some need.
COMMON_VARIABLES = {
    "CONTIGO_KAFKA_BOOTSTRAP",
    "CONTIGO_S3_ENDPOINT",
    "CONTIGO_S3_ACCESS_KEY",
    "CONTIGO_S3_SECRET_KEY",
    "CONTIGO_S3_BUCKET",
    "CONTIGO_S3_SECURE",
}
EXTRA_VARIABLES = {
    **{name: {"CONTIGO_DATABASE_URL"} for name in ("access", "documents", "padron", "cases")},
    "init": {"CONTIGO_ADMIN_DATABASE_URL", *(f"CONTIGO_DB_PASSWORD_{n.upper()}" for n in BACKENDS_FOR_DB)},
    "identity": {"CONTIGO_DATABASE_URL", "CONTIGO_SMTP_HOST", "CONTIGO_SMTP_PORT"},
    "gateway": {
        "CONTIGO_IDENTITY_URL",
        "CONTIGO_ACCESS_URL",
        "CONTIGO_DOCUMENTS_URL",
        "CONTIGO_PADRON_URL",
        "CONTIGO_CASES_URL",
    },
    "web": {"CONTIGO_GATEWAY_URL"},
}
SOURCE_GLOBS = ("services/*/src", "libs/*/src", "runner/src")
VARIABLE_LITERAL = re.compile(r"""["'](CONTIGO_[A-Z0-9_]+)["']""")


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "docker-compose.yml must be a mapping"
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


def _words(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return shlex.split(value)
    return [str(word) for word in value]


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) if "=" in item else (item, "") for item in env)
        return {key: value for key, value in pairs}
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _depends_on(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):
        return {name: {"condition": "service_started"} for name in deps}
    return {name: spec or {} for name, spec in deps.items()}


def _healthcheck_words(service: dict[str, Any]) -> list[str]:
    test = (service.get("healthcheck") or {}).get("test")
    words = _words(test)
    if words and words[0] in {"CMD", "CMD-SHELL", "NONE"}:
        words = words[1:]
    return words


def _texts(service: dict[str, Any]) -> list[str]:
    """Every string a container is started or probed with."""
    return (
        _words(service.get("command"))
        + _words(service.get("entrypoint"))
        + _healthcheck_words(service)
        + list(_environment(service).values())
    )


def _listening_ports(services: dict[str, dict[str, Any]]) -> dict[str, set[int]]:
    ports = {name: {port} for name, port in SERVICE_PORTS.items()}
    ports.update({name: set(values) for name, values in INFRASTRUCTURE_PORTS.items() if name in services})
    return ports


def _published(service: dict[str, Any]) -> list[dict[str, str]]:
    """Each published port as {host_ip, published, target}, from short or long syntax."""
    result = []
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            result.append(
                {
                    "host_ip": str(entry.get("host_ip", "")),
                    "published": str(entry.get("published", "")),
                    "target": str(entry.get("target", "")),
                }
            )
            continue
        text = str(entry).split("/", 1)[0]
        match = re.fullmatch(r"(?:(?P<ip>\[[^\]]*\]|[^:]*):)??(?:(?P<published>[^:]*):)?(?P<target>[^:]+)", text)
        assert match, f"cannot parse port {entry!r}"
        result.append(
            {
                "host_ip": match["ip"] or "",
                "published": match["published"] or "",
                "target": match["target"],
            }
        )
    return result


def _dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs with line continuations joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line = pending + line
        pending = ""
        keyword, _, arguments = line.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def _copy_sources(arguments: str) -> list[str] | None:
    """Sources of a COPY/ADD from the build context, or None when it copies from another stage."""
    words = shlex.split(arguments)
    flags = [word for word in words if word.startswith("--")]
    if any(flag.startswith("--from") for flag in flags):
        return None
    rest = [word for word in words if not word.startswith("--")]
    if rest and rest[0].startswith("["):
        rest = json.loads(" ".join(rest))
    return rest[:-1]


def _settings_fields(tree: ast.Module) -> set[str]:
    """Fields of ``*Settings`` structs: eventkit.settings reads field ``x`` from ``CONTIGO_X``."""
    fields: set[str] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.ClassDef) and node.name.endswith("Settings")):
            continue
        if not any("Struct" in ast.unparse(base) for base in node.bases):
            continue
        for statement in node.body:
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
                if "ClassVar" not in ast.unparse(statement.annotation):
                    fields.add(statement.target.id)
    return fields


def _source_variables() -> set[str]:
    """CONTIGO_* names the Python sources read: string literals, and settings struct fields."""
    names: set[str] = set()
    for pattern in SOURCE_GLOBS:
        for directory in ROOT.glob(pattern):
            for source in directory.rglob("*.py"):
                text = source.read_text(encoding="utf-8")
                names.update(VARIABLE_LITERAL.findall(text))
                names.update(f"CONTIGO_{field.upper()}" for field in _settings_fields(ast.parse(text)))
    return names


# ---------------------------------------------------------------- tests


def test_compose_file_follows_the_compose_specification(compose: dict[str, Any]) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert "draft-07" in schema["$schema"], f"the vendored schema now declares {schema['$schema']}"
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)

    # The validator is live: a misspelt service key is caught.
    assert list(validator.iter_errors({"services": {"x": {"imagee": "y"}}}))

    errors = sorted(validator.iter_errors(compose), key=lambda error: list(map(str, error.absolute_path)))
    assert not errors, "\n".join(
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}" for error in errors
    )


def test_every_service_in_the_design_has_a_container(services: dict[str, dict[str, Any]]) -> None:
    missing = (set(SERVICE_PORTS) | INFRASTRUCTURE) - set(services)
    assert not missing, f"no container for {sorted(missing)}"


def test_compose_names_only_things_that_exist(compose: dict[str, Any], services: dict[str, dict[str, Any]]) -> None:
    # Every depends_on target is a service of this file.
    for name, service in services.items():
        unknown = set(_depends_on(service)) - set(services)
        assert not unknown, f"{name} depends on unknown services {sorted(unknown)}"

    # Every named volume a service mounts is declared at the top level.
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for mount in service.get("volumes") or []:
            if isinstance(mount, dict):
                source = mount.get("source") if mount.get("type", "volume") == "volume" else None
            else:
                source = str(mount).split(":", 1)[0] if ":" in str(mount) else None
            if source and not source.startswith((".", "/", "~", "$")):
                assert source in declared, f"{name} mounts undeclared volume {source!r}"

    # Every image built here comes from a Dockerfile that exists, whose COPY sources exist.
    for name, service in services.items():
        build = service.get("build")
        if build is None:
            continue
        if isinstance(build, str):
            build = {"context": build}
        context = (COMPOSE_FILE.parent / build.get("context", ".")).resolve()
        dockerfile = context / build.get("dockerfile", "Dockerfile")
        assert context.is_dir(), f"{name}: build context {context} does not exist"
        assert dockerfile.is_file(), f"{name}: Dockerfile {dockerfile} does not exist"
        for keyword, arguments in _dockerfile_instructions(dockerfile):
            if keyword not in {"COPY", "ADD"}:
                continue
            sources = _copy_sources(arguments)
            for source in sources or []:
                assert glob.glob(str(context / source)), f"{dockerfile.name}: {keyword} source {source!r} is missing"


def test_the_application_runs_the_contigo_command_from_one_image(services: dict[str, dict[str, Any]]) -> None:
    scripts = tomllib.loads((ROOT / "runner" / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts.get("contigo") == "contigo.cli:main"
    assert (ROOT / "runner" / "src" / "contigo").is_dir()

    application = {*SERVICE_PORTS, "init"}
    images = {services[name].get("image") for name in application}
    builds = {json.dumps(services[name].get("build"), sort_keys=True) for name in application}
    assert len(images) == 1 and None not in images, f"application containers use images {images}"
    assert len(builds) == 1, "application containers must build the same image the same way"

    assert _words(services["init"]["command"]) == ["contigo", "init"]
    for name, port in SERVICE_PORTS.items():
        assert _words(services[name]["command"]) == ["contigo", "serve", name, "--host", "0.0.0.0", "--port", str(port)]


def test_containers_start_in_dependency_order(services: dict[str, dict[str, Any]]) -> None:
    init = _depends_on(services["init"])
    for infrastructure in ("kafka", "postgres", "minio"):
        assert init.get(infrastructure, {}).get("condition") == "service_healthy", (
            f"init must wait for {infrastructure}"
        )
        assert services[infrastructure].get("healthcheck"), f"{infrastructure} has no healthcheck to wait on"
    for name in BACKENDS:
        condition = _depends_on(services[name]).get("init", {}).get("condition")
        assert condition == "service_completed_successfully", f"{name} must start after init succeeded"
        assert services[name].get("healthcheck"), f"{name} has no healthcheck"
    gateway = _depends_on(services["gateway"])
    for name in BACKENDS:
        assert gateway.get(name, {}).get("condition") == "service_healthy", f"gateway must wait for {name}"
    web = _depends_on(services["web"])
    assert web.get("gateway", {}).get("condition") == "service_healthy", "web must wait for the gateway"


def test_every_address_in_compose_uses_a_port_its_target_listens_on(services: dict[str, dict[str, Any]]) -> None:
    listening = _listening_ports(services)

    for name, port in SERVICE_PORTS.items():
        probes = re.findall(
            r"https?://(?:127\.0\.0\.1|localhost):(\d+)/health", " ".join(_healthcheck_words(services[name]))
        )
        assert probes and {int(p) for p in probes} == {port}, f"{name}'s healthcheck must probe :{port}/health"

    host_port = re.compile(r"(?<![\w.-])([a-z][a-z0-9_-]*):(\d+)\b")
    for name, service in services.items():
        for text in _texts(service):
            for host, port in host_port.findall(text):
                if host in services:
                    assert int(port) in listening.get(host, set()), (
                        f"{name} reaches {host}:{port}, not a port {host} uses"
                    )

    gateway = _environment(services["gateway"])
    for name in BACKENDS:
        assert gateway.get(f"CONTIGO_{name.upper()}_URL") == f"http://{name}:{SERVICE_PORTS[name]}"
    assert _environment(services["web"]).get("CONTIGO_GATEWAY_URL") == "http://gateway:8000"

    for name, service in services.items():
        for mapping in _published(service):
            assert int(mapping["target"]) in listening.get(name, set()), f"{name} publishes {mapping['target']}"


def test_every_application_container_is_given_the_variables_it_needs(services: dict[str, dict[str, Any]]) -> None:
    for name in [*SERVICE_PORTS, "init"]:
        needed = (set() if name == "web" else COMMON_VARIABLES) | EXTRA_VARIABLES.get(name, set())
        missing = needed - set(_environment(services[name]))
        assert not missing, f"{name} lacks {sorted(missing)}"


def test_each_service_connects_as_its_own_role_and_only_init_holds_the_administrator(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in BACKENDS:
        env = _environment(services[name])
        role = re.match(r"postgresql://([^:@]+):\$\{(CONTIGO_DB_PASSWORD_[A-Z]+)", env["CONTIGO_DATABASE_URL"])
        assert role and role.groups() == (f"{name}_app", f"CONTIGO_DB_PASSWORD_{name.upper()}"), name
    for name, service in services.items():
        if name in ("init", "postgres"):
            continue
        told = " ".join(_environment(service).values())
        assert "CONTIGO_PG_ADMIN_PASSWORD" not in told and "CONTIGO_ADMIN_DATABASE_URL" not in _environment(service)
        others = {f"CONTIGO_DB_PASSWORD_{n.upper()}" for n in BACKENDS - {name}}
        assert not [v for v in others if v in told], f"{name} is told another service's database password"
    assert "CONTIGO_DATABASE_URL" not in _environment(services["gateway"])


def test_the_web_application_is_told_no_database_broker_or_object_store(services: dict[str, dict[str, Any]]) -> None:
    told = (COMMON_VARIABLES | {"CONTIGO_DATABASE_URL", "CONTIGO_ADMIN_DATABASE_URL"}) & set(
        _environment(services["web"])
    )

    assert not told, f"web is a client of the gateway only, yet is given {sorted(told)}"


def test_every_contigo_variable_in_compose_is_read_by_the_python_sources(services: dict[str, dict[str, Any]]) -> None:
    in_compose = {key for service in services.values() for key in _environment(service) if key.startswith("CONTIGO_")}
    unread = in_compose - _source_variables()
    assert not unread, f"compose sets variables no Python source names: {sorted(unread)}"


def test_published_ports_bind_the_loopback_address_only(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        assert service.get("network_mode") != "host", f"{name} must not share the host's network"
        for mapping in _published(service):
            assert mapping["host_ip"] == LOOPBACK, f"{name} publishes {mapping} beyond {LOOPBACK}"

    for name in SERVICE_PORTS:
        port = str(PUBLISHED.get(name, ""))
        expected = [{"host_ip": LOOPBACK, "published": port, "target": port}] if port else []
        assert _published(services[name]) == expected, f"{name} publishes {_published(services[name])}"
