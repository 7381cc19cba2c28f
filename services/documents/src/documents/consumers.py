"""Subscriptions of documents: contract event -> handler, in the kit's unit of work (inbox claim included)."""

from __future__ import annotations

from contracts import Envelope, topics
from contracts.events import AccessRequested
from documents import handlers
from documents.handlers import Tools
from documents.repo import DocumentsPgRepo
from eventkit.host import Subscription
from eventkit.uow import UnitOfWork


def subscriptions(tools: Tools) -> tuple[Subscription, ...]:
    """The subscriptions, bound to the adapters (object store, renderer) the app wired."""

    async def on_access_requested(_envelope: Envelope, event: AccessRequested, uow: UnitOfWork) -> None:
        await handlers.generate_ddc(event, DocumentsPgRepo(uow), tools)

    return (Subscription(topics.ACCESS_REQUEST, {AccessRequested: on_access_requested}),)
