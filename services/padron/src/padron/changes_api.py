"""Routes of the padrón service: changes_api (being built)."""

from __future__ import annotations

from typing import Any

from padron.deps import PadronDeps


def routes(deps: PadronDeps) -> list[Any]:
    return []
