"""Subscriptions of the cases service: contract event -> handler, in the kit's unit of work (inbox claim included)."""

from __future__ import annotations

from cases import handlers
from cases.repo import AccountsPgRepo, FactsPgRepo
from cases.responses import handlers as responses
from cases.responses.repo import ResponsesRepo
from contracts import Envelope, topics
from contracts.events import (
    AccessApproved,
    AccessObserved,
    AccessRejected,
    AccessRequested,
    CredentialsIssued,
    CredentialsRevoked,
    DocumentIssued,
    PadronPublished,
)
from eventkit.host import Subscription
from eventkit.uow import UnitOfWork


async def on_credentials_issued(envelope: Envelope, event: CredentialsIssued, uow: UnitOfWork) -> None:
    await handlers.record_account_issued(envelope, event, AccountsPgRepo(uow.conn))


async def on_credentials_revoked(envelope: Envelope, event: CredentialsRevoked, uow: UnitOfWork) -> None:
    await handlers.record_account_revoked(envelope, event, AccountsPgRepo(uow.conn))


async def on_access_requested(envelope: Envelope, event: AccessRequested, uow: UnitOfWork) -> None:
    await handlers.record_request_sent(envelope, event, FactsPgRepo(uow.conn))


async def on_access_decided(
    envelope: Envelope, event: AccessApproved | AccessObserved | AccessRejected, uow: UnitOfWork
) -> None:
    await handlers.record_request_decided(envelope, event, FactsPgRepo(uow.conn))


async def on_padron_published(envelope: Envelope, event: PadronPublished, uow: UnitOfWork) -> None:
    await handlers.record_padron_published(envelope, event, FactsPgRepo(uow.conn))


async def on_document_issued(_envelope: Envelope, event: DocumentIssued, uow: UnitOfWork) -> None:
    await responses.document_issued(event, ResponsesRepo(uow.conn), uow)


SUBSCRIPTIONS = (
    Subscription(
        topics.IDENTITY_ACCOUNT,
        {CredentialsIssued: on_credentials_issued, CredentialsRevoked: on_credentials_revoked},
    ),
    Subscription(
        topics.ACCESS_REQUEST,
        {
            AccessRequested: on_access_requested,
            AccessApproved: on_access_decided,
            AccessObserved: on_access_decided,
            AccessRejected: on_access_decided,
        },
    ),
    Subscription(topics.PADRON_PADRON, {PadronPublished: on_padron_published}),
    Subscription(topics.DOCUMENTS_DOCUMENT, {DocumentIssued: on_document_issued}),
)
