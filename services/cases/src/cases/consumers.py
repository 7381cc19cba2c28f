"""Subscriptions of the cases service: contract event -> handler, inside the inbox transaction."""

from __future__ import annotations

import asyncpg

from cases import handlers
from cases.repo import AccountsPgRepo
from contracts import Envelope, topics
from contracts.events import CredentialsIssued, CredentialsRevoked
from eventkit.host import Subscription


async def on_credentials_issued(envelope: Envelope, event: CredentialsIssued, conn: asyncpg.Connection) -> None:
    await handlers.record_account_issued(envelope, event, AccountsPgRepo(conn))


async def on_credentials_revoked(envelope: Envelope, event: CredentialsRevoked, conn: asyncpg.Connection) -> None:
    await handlers.record_account_revoked(envelope, event, AccountsPgRepo(conn))


SUBSCRIPTIONS = (
    Subscription(
        topics.IDENTITY_ACCOUNT,
        {CredentialsIssued: on_credentials_issued, CredentialsRevoked: on_credentials_revoked},
    ),
)
