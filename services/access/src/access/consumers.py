"""Subscriptions of the access service: what identity and documents report about a request."""

from __future__ import annotations

from datetime import date

import asyncpg

from access import handlers
from access.repo import PgUnitOfWork
from contracts import Envelope, topics
from contracts.events import AuthorityVerified, CredentialsIssued, DDCGenerated, DDCUploaded
from eventkit.host import Subscription


async def on_authority_verified(envelope: Envelope, event: AuthorityVerified, conn: asyncpg.Connection) -> None:
    await handlers.authority_verified(envelope, event, PgUnitOfWork(conn), date.today())


async def on_ddc_generated(envelope: Envelope, event: DDCGenerated, conn: asyncpg.Connection) -> None:
    await handlers.ddc_generated(event, PgUnitOfWork(conn))


async def on_ddc_uploaded(envelope: Envelope, event: DDCUploaded, conn: asyncpg.Connection) -> None:
    await handlers.ddc_uploaded(event, PgUnitOfWork(conn), date.today())


async def on_credentials_issued(envelope: Envelope, event: CredentialsIssued, conn: asyncpg.Connection) -> None:
    await handlers.credentials_issued(event, PgUnitOfWork(conn))


SUBSCRIPTIONS = (
    Subscription(topics.IDENTITY_AUTHORITY, {AuthorityVerified: on_authority_verified}),
    Subscription(topics.DOCUMENTS_DOCUMENT, {DDCGenerated: on_ddc_generated, DDCUploaded: on_ddc_uploaded}),
    Subscription(topics.IDENTITY_ACCOUNT, {CredentialsIssued: on_credentials_issued}),
)
