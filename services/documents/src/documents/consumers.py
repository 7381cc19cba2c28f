"""Subscriptions of the documents service: contract event -> handler, inside the inbox transaction."""

from __future__ import annotations

import asyncpg

from contracts import Envelope, topics
from contracts.events import AccessRequested
from documents import handlers
from documents.handlers import Tools
from documents.repo import DocumentsPgRepo
from eventkit.host import Subscription


def subscriptions(tools: Tools) -> tuple[Subscription, ...]:
    """The subscriptions, bound to the adapters (object store, renderer) the app wired."""

    async def on_access_requested(envelope: Envelope, event: AccessRequested, conn: asyncpg.Connection) -> None:
        await handlers.generate_ddc(envelope, event, DocumentsPgRepo(conn), tools)

    return (Subscription(topics.ACCESS_REQUEST, {AccessRequested: on_access_requested}),)
