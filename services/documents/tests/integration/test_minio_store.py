"""The MinIO object store, on a real MinIO: write once, read back, never overwrite."""

from __future__ import annotations

import uuid

import pytest
from minio import Minio

from documents.adapters.storage import MinioStore, ObjectExistsError

pytestmark = pytest.mark.integration


@pytest.fixture
def store(servers) -> MinioStore:
    client = Minio(
        servers.s3_endpoint, access_key=servers.s3_access_key, secret_key=servers.s3_secret_key, secure=False
    )
    bucket = f"test-{uuid.uuid4().hex[:10]}"
    client.make_bucket(bucket)
    return MinioStore(client, bucket, servers.s3_endpoint)


async def test_an_object_is_stored_and_read_back_from_minio(store):
    await store.put("sha256/abc.pdf", b"%PDF-1.7 signed", "application/pdf")

    assert await store.get("sha256/abc.pdf") == b"%PDF-1.7 signed"
    assert await store.check() is None


async def test_an_object_in_minio_is_never_overwritten(store):
    await store.put("sha256/def.pdf", b"first", "application/pdf")

    with pytest.raises(ObjectExistsError):
        await store.put("sha256/def.pdf", b"second", "application/pdf")

    assert await store.get("sha256/def.pdf") == b"first"
    assert await store.exists("sha256/missing.pdf") is False
