"""An object store that cannot be reached is an outage the consumer waits for; a missing object is not."""

from __future__ import annotations

import errno
import os

import pytest

from documents.adapters.storage import FolderStore
from eventkit import DependencyUnavailableError

pytestmark = pytest.mark.unit


async def test_a_folder_store_whose_folder_is_gone_is_unavailable_for_every_call(tmp_path):
    store = FolderStore(tmp_path / "unmounted")

    for call in (store.put("k.pdf", b"x", "application/pdf"), store.get("k.pdf"), store.exists("k.pdf")):
        with pytest.raises(DependencyUnavailableError) as raised:
            await call

        assert raised.value.dependency == "object_store"
        assert "does not exist" in raised.value.detail


async def test_a_full_disk_is_an_outage_not_a_bad_message(tmp_path, monkeypatch):
    store = FolderStore(tmp_path)

    def full(*_args: object, **_kwargs: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "open", full)

    with pytest.raises(DependencyUnavailableError, match="No space left"):
        await store.put("k.pdf", b"x", "application/pdf")


async def test_a_missing_object_is_an_error_of_the_caller_not_an_outage(tmp_path):
    store = FolderStore(tmp_path)

    with pytest.raises(FileNotFoundError):
        await store.get("never-stored.pdf")
