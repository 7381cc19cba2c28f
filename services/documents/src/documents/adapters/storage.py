"""The two adapters of the object-store port: MinIO, and a folder on disk for the embedded run.

Objects are written once: a key that exists is never overwritten, and nothing here deletes. A store
that cannot be reached raises ``DependencyUnavailableError("object_store", ...)``, so a consumer
waits for it instead of dead-lettering the message; every other error is the caller's.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import certifi
import urllib3
from minio import Minio
from minio.error import InvalidResponseError, S3Error, ServerError
from urllib3.exceptions import HTTPError as Urllib3Error

from documents.ports import ObjectExistsError, ObjectStore
from eventkit import DependencyUnavailableError

T = TypeVar("T")
DEPENDENCY = "object_store"  # the name of the store's health check
# Errors on the folder that an operator fixes (a full or read-only disk, a lost mount), not a message.
_FOLDER_OUTAGES = {errno.ENOSPC, errno.EROFS, errno.EIO, errno.EDQUOT, errno.ESTALE, errno.ENOTCONN, errno.EACCES}

__all__ = ["FolderStore", "MinioStore", "ObjectExistsError", "ObjectStore", "store_from"]


class MinioStore:
    def __init__(self, client: Minio, bucket: str, endpoint: str):
        self._client = client
        self._bucket = bucket
        self.location = f"bucket {bucket} at {endpoint}"

    async def _call(self, fn: Callable[[], T]) -> T:
        """Run a blocking MinIO call in a thread; an unreachable MinIO becomes an outage."""
        try:
            return await asyncio.to_thread(fn)
        except (Urllib3Error, ConnectionError, TimeoutError, ServerError, InvalidResponseError) as exc:
            # urllib3's MaxRetryError wraps NewConnectionError / timeouts; a 5xx is MinIO itself failing.
            raise DependencyUnavailableError(
                DEPENDENCY, f"cannot reach MinIO for {self.location}: {_describe(exc)}"
            ) from exc
        except S3Error as exc:
            if exc.code == "NoSuchBucket":  # not provisioned yet: `contigo init` fixes it, not the message
                raise DependencyUnavailableError(DEPENDENCY, f"{self.location} does not exist") from exc
            raise

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        if await self.exists(key):
            raise ObjectExistsError(key)
        await self._call(
            lambda: self._client.put_object(self._bucket, key, io.BytesIO(data), len(data), content_type=content_type)
        )

    async def get(self, key: str) -> bytes:
        def read() -> bytes:
            response = self._client.get_object(self._bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()

        return await self._call(read)

    async def exists(self, key: str) -> bool:
        try:
            await self._call(lambda: self._client.stat_object(self._bucket, key))
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

    @contextlib.contextmanager
    def _reachable(self) -> Iterator[None]:
        """A missing root (an unmounted volume) or a disk an operator must fix is an outage."""
        if not self._root.is_dir():
            raise DependencyUnavailableError(DEPENDENCY, f"{self.location} does not exist")
        try:
            yield
        except OSError as exc:
            if exc.errno in _FOLDER_OUTAGES:
                raise DependencyUnavailableError(DEPENDENCY, f"{self.location}: {_describe(exc)}") from exc
            raise

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        with self._reachable():
            path.parent.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
            except FileExistsError:
                raise ObjectExistsError(key) from None
            with os.fdopen(fd, "wb") as f:
                f.write(data)

    async def get(self, key: str) -> bytes:
        path = self._path(key)
        with self._reachable():
            return path.read_bytes()

    async def exists(self, key: str) -> bool:
        path = self._path(key)
        with self._reachable():
            return path.exists()

    async def check(self) -> str | None:
        if not self._root.is_dir():
            return f"{self.location} does not exist"
        if not os.access(self._root, os.W_OK):
            return f"{self.location} is not writable"
        return None


def store_from(endpoint: str, access_key: str, secret_key: str, bucket: str, secure: bool, folder: str) -> ObjectStore:
    if endpoint:
        client = Minio(endpoint, access_key=access_key, secret_key=secret_key, secure=secure, http_client=_http())
        return MinioStore(client, bucket, endpoint)
    if not folder:
        raise ValueError("set CONTIGO_S3_ENDPOINT (MinIO) or CONTIGO_STORAGE_DIR (a folder) for documents")
    return FolderStore(Path(folder))


def _http() -> urllib3.PoolManager:
    """MinIO's own client waits 5 minutes to connect; an unreachable store should be said in seconds."""
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=5.0, read=60.0),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",  # as MinIO's own client
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        retries=urllib3.Retry(total=3, backoff_factor=0.2, status_forcelist=[500, 502, 503, 504]),
    )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
