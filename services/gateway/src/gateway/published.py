"""The published OpenAPI document: the committed ``openapi.json``, composed from the services' own.

``contigo openapi --write`` builds it (the gateway cannot: it imports no service); a test fails
when it no longer matches what the services and the gateway's routes say.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from litestar import Request
from litestar.enums import OpenAPIMediaType
from litestar.openapi.plugins import OpenAPIRenderPlugin

DOCUMENT = "openapi.json"


def document_bytes() -> bytes:
    return resources.files("gateway").joinpath(DOCUMENT).read_bytes()


class PublishedDocument(OpenAPIRenderPlugin):
    """Serves the committed document at ``/schema`` and ``/schema/openapi.json`` instead of the generated one.

    The gateway's generated document only knows that each route relays; the committed one has
    every body and answer, taken from the service that owns the operation.
    """

    def __init__(self) -> None:
        super().__init__(path=["/", "/openapi.json"], media_type=OpenAPIMediaType.OPENAPI_JSON)
        self._body = document_bytes()

    def render(self, request: Request, openapi_schema: dict[str, Any]) -> bytes:
        return self._body
