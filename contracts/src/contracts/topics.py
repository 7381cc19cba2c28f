"""Every topic name, in one place. Topics are named per producer and aggregate."""

from __future__ import annotations

IDENTITY_AUTHORITY = "identity.authority"
IDENTITY_ACCOUNT = "identity.account"
ACCESS_REQUEST = "access.request"
DOCUMENTS_DOCUMENT = "documents.document"
PADRON_PADRON = "padron.padron"
PADRON_BENEFICIARY = "padron.beneficiary"
CASES_CASE = "cases.case"
CASES_RESPONSE = "cases.response"

ALL = (
    IDENTITY_AUTHORITY,
    IDENTITY_ACCOUNT,
    ACCESS_REQUEST,
    DOCUMENTS_DOCUMENT,
    PADRON_PADRON,
    PADRON_BENEFICIARY,
    CASES_CASE,
    CASES_RESPONSE,
)


def dead_letter_topic(topic: str, group: str) -> str:
    """A consumer group's dead letters for one source topic: ``<topic>.dlq.<group>``."""
    return f"{topic}.dlq.{group}"
