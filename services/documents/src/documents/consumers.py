"""Subscriptions of documents: contract event -> handler, in the kit's unit of work (inbox claim included)."""

from __future__ import annotations

from contracts import Envelope, topics
from contracts.events import AccessRequested, CaseResponseRequested
from documents import handlers
from documents.handlers import Tools
from documents.repo import DocumentsPgRepo
from eventkit.host import Subscription
from eventkit.uow import UnitOfWork


def subscriptions(tools: Tools) -> tuple[Subscription, ...]:
    """The subscriptions, bound to the adapters (object store, renderer) the app wired."""

    async def on_access_requested(_envelope: Envelope, event: AccessRequested, uow: UnitOfWork) -> None:
        await handlers.generate_ddc(event, DocumentsPgRepo(uow), tools)

    async def on_response_requested(_envelope: Envelope, event: CaseResponseRequested, uow: UnitOfWork) -> None:
        await handlers.issue_answer(event, DocumentsPgRepo(uow), tools)

    return (
        Subscription(topics.ACCESS_REQUEST, {AccessRequested: on_access_requested}),
        Subscription(topics.CASES_RESPONSE, {CaseResponseRequested: on_response_requested}),
    )
