"""The object-store port: what the use cases need from wherever the PDFs are kept.

Objects are written once: a key that exists is never overwritten, and nothing deletes.
"""

from __future__ import annotations

from typing import Protocol


class ObjectExistsError(Exception):
    """An object is never overwritten."""


class ObjectStore(Protocol):
    location: str

    async def put(self, key: str, data: bytes, content_type: str) -> None: ...
    async def get(self, key: str) -> bytes: ...
    async def exists(self, key: str) -> bool: ...
    async def check(self) -> str | None: ...
