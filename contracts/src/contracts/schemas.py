"""JSON Schema snapshots of every event version: ``python -m contracts.schemas`` writes new ones.

A committed snapshot is never rewritten: a changed schema needs a new version.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import msgspec

from contracts.events import CATALOG, EventSpec

SNAPSHOT_DIR = Path(__file__).resolve().parents[2] / "schemas"


def snapshot_path(spec: EventSpec) -> Path:
    return SNAPSHOT_DIR / f"{spec.type}.v{spec.version}.json"


def schema_text(spec: EventSpec) -> str:
    return json.dumps(msgspec.json.schema(spec.struct), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_missing() -> list[Path]:
    written = []
    for spec in CATALOG.values():
        path = snapshot_path(spec)
        if not path.exists():
            path.write_text(schema_text(spec), encoding="utf-8")
            written.append(path)
    return written


if __name__ == "__main__":
    for p in write_missing():
        print(f"wrote {p.name}")
    sys.exit(0)
