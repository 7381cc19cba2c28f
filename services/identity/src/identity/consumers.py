"""Subscriptions of identity: contract event -> handler, inside the kit's inbox transaction."""

from __future__ import annotations

import asyncpg

from contracts import Envelope, topics
from contracts.events import AccessApproved, AccessRequested
from eventkit.host import Subscription
from identity import handlers
from identity.deps import Deps
from identity.repo import ChecksPgRepo, CredentialsPgRepo


def subscriptions(deps: Deps) -> tuple[Subscription, ...]:
    async def on_access_requested(envelope: Envelope, event: AccessRequested, conn: asyncpg.Connection) -> None:
        await handlers.verify_authority(event, deps.register, ChecksPgRepo(conn, envelope), deps.today())

    async def on_access_approved(envelope: Envelope, event: AccessApproved, conn: asyncpg.Connection) -> None:
        repo = CredentialsPgRepo(conn, envelope, deps.mail_box)
        await handlers.issue_credentials(
            event, repo, deps.register, deps.hasher, public_url=deps.public_url, now=deps.now()
        )

    return (
        Subscription(topics.ACCESS_REQUEST, {AccessRequested: on_access_requested, AccessApproved: on_access_approved}),
    )
