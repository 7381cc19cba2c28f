"""The folder object store keeps objects once and never overwrites them."""

from __future__ import annotations

import pytest

from documents.adapters.storage import FolderStore, ObjectExistsError

pytestmark = pytest.mark.unit


async def test_an_object_is_stored_and_read_back(tmp_path):
    store = FolderStore(tmp_path)

    await store.put("ab/cd.pdf", b"%PDF-1.7", "application/pdf")

    assert await store.get("ab/cd.pdf") == b"%PDF-1.7"
    assert await store.exists("ab/cd.pdf")


async def test_an_object_is_never_overwritten(tmp_path):
    store = FolderStore(tmp_path)
    await store.put("k.pdf", b"first", "application/pdf")

    with pytest.raises(ObjectExistsError):
        await store.put("k.pdf", b"second", "application/pdf")

    assert await store.get("k.pdf") == b"first"


async def test_a_key_cannot_escape_the_folder(tmp_path):
    store = FolderStore(tmp_path / "objects")

    with pytest.raises(ValueError, match="bad object key"):
        await store.put("../outside.pdf", b"x", "application/pdf")


async def test_a_missing_folder_is_reported(tmp_path):
    assert await FolderStore(tmp_path / "nope").check() == f"folder {tmp_path / 'nope'} does not exist"
