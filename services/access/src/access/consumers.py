"""Subscriptions of the access service: what identity and documents report about a request.

Each runs in the kit's unit of work (inbox claim included): repositories on ``uow.conn``, events
through ``uow.emit``, which names the incoming envelope as their cause.
"""

from __future__ import annotations

from access import handlers
from access.repo import RequestsRepo
from contracts import Envelope, topics
from contracts.events import AuthorityVerified, CredentialsIssued, DDCGenerated, DDCUploaded
from eventkit.clock import Clock
from eventkit.host import Subscription
from eventkit.uow import UnitOfWork


def subscriptions(clock: Clock) -> tuple[Subscription, ...]:
    """The subscriptions, counting deadlines from ``clock``'s day (Lima's; the app's, so a test fixes both)."""

    async def on_authority_verified(_envelope: Envelope, event: AuthorityVerified, uow: UnitOfWork) -> None:
        await handlers.authority_verified(event, RequestsRepo(uow.conn), uow, clock.today())

    async def on_ddc_generated(_envelope: Envelope, event: DDCGenerated, uow: UnitOfWork) -> None:
        await handlers.ddc_generated(event, RequestsRepo(uow.conn))

    async def on_ddc_uploaded(_envelope: Envelope, event: DDCUploaded, uow: UnitOfWork) -> None:
        await handlers.ddc_uploaded(event, RequestsRepo(uow.conn), clock.today())

    async def on_credentials_issued(_envelope: Envelope, event: CredentialsIssued, uow: UnitOfWork) -> None:
        await handlers.credentials_issued(event, RequestsRepo(uow.conn))

    return (
        Subscription(topics.IDENTITY_AUTHORITY, {AuthorityVerified: on_authority_verified}),
        Subscription(topics.DOCUMENTS_DOCUMENT, {DDCGenerated: on_ddc_generated, DDCUploaded: on_ddc_uploaded}),
        Subscription(topics.IDENTITY_ACCOUNT, {CredentialsIssued: on_credentials_issued}),
    )
