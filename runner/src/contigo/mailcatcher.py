"""A local mail catcher (aiosmtpd): every message is kept as a .eml file in a folder."""

from __future__ import annotations

import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class FolderMailbox:
    """aiosmtpd handler writing each accepted message to ``<folder>/<time>-<n>.eml``."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._n = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802 - aiosmtpd's name
        self._n += 1
        name = f"{time.time_ns()}-{self._n}.eml"
        data = envelope.original_content or envelope.content or b""
        if isinstance(data, str):
            data = data.encode()
        (self.folder / name).write_bytes(data)
        return "250 Message accepted for delivery"


def start_mail_catcher(folder: Path, host: str = "127.0.0.1", port: int = 2525) -> Controller:
    controller = Controller(FolderMailbox(folder), hostname=host, port=port)
    controller.start()
    return controller
