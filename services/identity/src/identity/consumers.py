"""Subscriptions of identity: contract event -> handler, in the kit's unit of work (inbox claim included)."""

from __future__ import annotations

from datetime import UTC

from contracts import Envelope, topics
from contracts.events import AccessApproved, AccessRequested
from eventkit.host import Subscription
from eventkit.uow import UnitOfWork
from identity import handlers
from identity.deps import Deps
from identity.repo import ChecksPgRepo, CredentialsPgRepo


def subscriptions(deps: Deps) -> tuple[Subscription, ...]:
    async def on_access_requested(_envelope: Envelope, event: AccessRequested, uow: UnitOfWork) -> None:
        await handlers.verify_authority(event, deps.register, ChecksPgRepo(uow), deps.clock.today())

    async def on_access_approved(_envelope: Envelope, event: AccessApproved, uow: UnitOfWork) -> None:
        repo = CredentialsPgRepo(uow, deps.mail_box)
        # Stored and sent on the bus in UTC, as every timestamp of the system; Lima's clock still decides it.
        now = deps.clock.now().astimezone(UTC)
        await handlers.issue_credentials(event, repo, deps.register, deps.hasher, public_url=deps.public_url, now=now)

    return (
        Subscription(topics.ACCESS_REQUEST, {AccessRequested: on_access_requested, AccessApproved: on_access_approved}),
    )
