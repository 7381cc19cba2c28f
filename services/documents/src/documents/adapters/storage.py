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
CONNECT_TIMEOUT_S = 2.0
READ_TIMEOUT_S = 5.0
CHECK_TIMEOUT_S = 2.0
"""``/health``'s probe of the bucket: well below the gateway's wait for the whole answer (5 s)."""
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
            if _status(exc) >= 500:  # MinIO starting (XMinioServerNotInitialized), slowing down, failing
                raise DependencyUnavailableError(
                    DEPENDENCY, f"MinIO for {self.location} answered {_status(exc)} {exc.code}: {exc.message}"
                ) from exc
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
        """``None`` when the bucket answers within :data:`CHECK_TIMEOUT_S`; otherwise what is wrong, naming MinIO."""
        try:
            found = await asyncio.wait_for(
                self._call(lambda: self._client.bucket_exists(self._bucket)), CHECK_TIMEOUT_S
            )
        except TimeoutError:
            return f"MinIO for {self.location} does not answer within {CHECK_TIMEOUT_S:g} s"
        except DependencyUnavailableError as exc:
            return exc.detail
        except Exception as exc:  # noqa: BLE001 - reported as health
            return f"cannot use MinIO for {self.location}: {_describe(exc)}"
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
    """Bounded waits, so a person hears at once that the store is down instead of a 500 after seconds.

    MinIO's own client waits 5 minutes to connect and retries 5xx answers with back-off (honouring a
    ``Retry-After`` of minutes while MinIO starts). Here a call waits at most :data:`CONNECT_TIMEOUT_S`
    to connect and :data:`READ_TIMEOUT_S` for an answer, and is retried once only when the connection
    failed (a pooled keep-alive connection MinIO closed); a 5xx is answered as an outage, not waited on.
    """
    return urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S),
        maxsize=10,
        cert_reqs="CERT_REQUIRED",  # as MinIO's own client
        ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
        retries=urllib3.Retry(
            total=1, connect=1, read=0, status=0, other=0, backoff_factor=0, respect_retry_after_header=False
        ),
    )


def _status(exc: S3Error) -> int:
    response = getattr(exc, "response", None)
    return int(getattr(response, "status", 0) or 0)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
