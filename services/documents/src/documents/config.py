"""Settings of the documents service, read once from CONTIGO_* variables."""

from __future__ import annotations

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str
    kafka_bootstrap: str = "127.0.0.1:59092"
    # MinIO / S3. When no endpoint is set, objects live in ``storage_dir``.
    s3_endpoint: str = ""
    s3_access_key: str = ""
    s3_secret_key: str = ""
    s3_bucket: str = "contigo-documents"
    s3_secure: bool = False
    storage_dir: str = ""
    # Where people open the system: printed on each DDC as the address that checks its code.
    public_url: str = "http://127.0.0.1:8000"
    max_upload_bytes: int = 10 * 1024 * 1024
    # The key and certificate (PEM) that sign CTVC answers (PAdES): the programme's own in production;
    # the chain (comma-separated PEM files) is embedded in each signature. When no key is given, a local
    # test CA and certificate are made once in ``signing_dir`` (for local runs only).
    signing_key_file: str = ""
    signing_cert_file: str = ""
    signing_chain_files: str = ""
    signing_dir: str = ""
