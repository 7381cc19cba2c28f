"""Correo recibido (local runs only): the mail the local mail catcher kept, as pages a person reads.

The gateway's ``GET /dev/mail`` lists the caught messages (newest first, with their text); these
pages show that list and each message's text body. They exist only where the settings say the run
is local (``dev_mail``); anywhere else they are "No se encontró la página". A message's HTML is
never rendered: the text body is shown as text, escaped like everything Jinja prints.
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from typing import Any

from litestar import Request, get
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from litestar.response import Template

from web.gateway import RefusedError, call
from web.sessions import LIMA

# The catcher names each message ``<time in ns>-<n>``; an id is that name, stable as new mail arrives.
MESSAGE_ID = re.compile(r"\d{1,25}-\d{1,10}")


def _local_only(request: Request) -> None:
    if not request.app.state.settings.dev_mail:
        raise HTTPException(status_code=404)


async def caught(request: Request) -> list[dict[str, Any]]:
    _local_only(request)
    try:
        return list(await call(request, "GET", "/dev/mail") or [])
    except RefusedError as refused:
        # A gateway with no mail catcher's folder has no /dev/mail: then there is no mail to show either.
        raise HTTPException(status_code=404) from refused


def sent_in_lima(header: str | None) -> str:
    if not header:
        return "—"
    try:
        return parsedate_to_datetime(header).astimezone(LIMA).strftime("%d/%m/%Y %H:%M")
    except (TypeError, ValueError):
        return header


def message_view(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(message.get("id", "")),
        "date": sent_in_lima(message.get("date")),
        "from": message.get("from") or "—",
        "to": message.get("to") or "—",
        "cc": message.get("cc") or "",
        "subject": message.get("subject") or "(sin asunto)",
        "text": message.get("text") or "",
    }


@get("/correo", name="mail", include_in_schema=False)
async def mail_list(request: Request) -> Template:
    messages = [message_view(m) for m in await caught(request)]
    return Template(template_name="mail_list.html", context={"messages": messages})


@get("/correo/{message_id:str}", name="mail_message", include_in_schema=False)
async def mail_message(request: Request, message_id: FromPath[str]) -> Template:
    if not MESSAGE_ID.fullmatch(message_id):
        _local_only(request)
        raise HTTPException(status_code=404)
    found = next((m for m in await caught(request) if str(m.get("id")) == message_id), None)
    if found is None:
        raise HTTPException(status_code=404)
    return Template(template_name="mail_message.html", context={"message": message_view(found)})


ROUTES = [mail_list, mail_message]
