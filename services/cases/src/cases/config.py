"""Settings of the cases service, read once from CONTIGO_* variables."""

from __future__ import annotations

from typing import Annotated

import msgspec


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str
    kafka_bootstrap: str = "127.0.0.1:59092"
    # identity's public key (PEM): every caller (a CTVC and its region, or staff) comes from a token checked with it
    token_public_key_file: str = ""
    # Business days (Peru's holidays and weekends skipped, Lima's calendar) to answer an oficio once received
    case_answer_business_days: Annotated[int, msgspec.Meta(ge=1, le=90)] = 15
