"""The two adapters of the object-store port: MinIO, and a folder on disk for the embedded run.

Objects are written once: a key that exists is never overwritten, and nothing here deletes.
"""

from __future__ import annotations

import asyncio
import io
import os
from pathlib import Path

from minio import Minio
from minio.error import S3Error

from documents.ports import ObjectExistsError, ObjectStore

__all__ = ["FolderStore", "MinioStore", "ObjectExistsError", "ObjectStore", "store_from"]


class MinioStore:
    def __init__(self, client: Minio, bucket: str, endpoint: str):
        self._client = client
        self._bucket = bucket
        self.location = f"bucket {bucket} at {endpoint}"

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        if await self.exists(key):
            raise ObjectExistsError(key)
        await asyncio.to_thread(
            self._client.put_object, self._bucket, key, io.BytesIO(data), len(data), content_type=content_type
        )

    async def get(self, key: str) -> bytes:
        def read() -> bytes:
            response = self._client.get_object(self._bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return await asyncio.to_thread(read)

    async def exists(self, key: str) -> bool:
        try:
            await asyncio.to_thread(self._client.stat_object, self._bucket, key)
        except S3Error as exc:
            if exc.code in ("NoSuchKey", "NoSuchObject"):
                return False
            raise
        return True

    async def check(self) -> str | None:
        try:
            found = await asyncio.wait_for(asyncio.to_thread(self._client.bucket_exists, self._bucket), 5.0)
        except Exception as exc:  # noqa: BLE001 - reported as health
            return f"cannot reach MinIO for {self.location}: {type(exc).__name__}: {exc}"
        return None if found else f"{self.location} does not exist (run `contigo init`)"


class FolderStore:
    """Objects as files under a folder; keys map to relative paths."""

    def __init__(self, root: Path):
        self._root = root
        self.location = f"folder {root}"

    def _path(self, key: str) -> Path:
        path = (self._root / key).resolve()
        if self._root.resolve() not in path.parents:
            raise ValueError(f"bad object key {key!r}")
        return path

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        except FileExistsError:
            raise ObjectExistsError(key) from None
        with os.fdopen(fd, "wb") as f:
            f.write(data)

    async def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    async def exists(self, key: str) -> bool:
        return self._path(key).exists()

    async def check(self) -> str | None:
        if not self._root.is_dir():
            return f"{self.location} does not exist"
        if not os.access(self._root, os.W_OK):
            return f"{self.location} is not writable"
        return None


def store_from(endpoint: str, access_key: str, secret_key: str, bucket: str, secure: bool, folder: str) -> ObjectStore:
    if endpoint:
        client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure)
        return MinioStore(client, bucket, endpoint)
    if not folder:
        raise ValueError("set CONTIGO_S3_ENDPOINT (MinIO) or CONTIGO_STORAGE_DIR (a folder) for documents")
    return FolderStore(Path(folder))
