"""Subscriptions of the cases service: contract event -> handler, in the kit's unit of work (inbox claim included)."""

from __future__ import annotations

from cases import handlers
from cases.repo import AccountsPgRepo
from contracts import Envelope, topics
from contracts.events import CredentialsIssued, CredentialsRevoked
from eventkit.host import Subscription
from eventkit.uow import UnitOfWork


async def on_credentials_issued(envelope: Envelope, event: CredentialsIssued, uow: UnitOfWork) -> None:
    await handlers.record_account_issued(envelope, event, AccountsPgRepo(uow.conn))


async def on_credentials_revoked(envelope: Envelope, event: CredentialsRevoked, uow: UnitOfWork) -> None:
    await handlers.record_account_revoked(envelope, event, AccountsPgRepo(uow.conn))


SUBSCRIPTIONS = (
    Subscription(
        topics.IDENTITY_ACCOUNT,
        {CredentialsIssued: on_credentials_issued, CredentialsRevoked: on_credentials_revoked},
    ),
)
