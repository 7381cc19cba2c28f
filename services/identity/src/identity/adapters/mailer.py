"""SMTP adapter: sends a composed letter with aiosmtplib, under the Message-ID and Date it was queued with."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

import aiosmtplib

from identity.letters import Mail


class SmtpMailer:
    def __init__(self, host: str, port: int, sender: str, *, timeout_s: float = 15.0):
        self._host = host
        self._port = port
        self._sender = sender
        self._timeout_s = timeout_s

    def message(self, mail: Mail, *, message_id: str, written_at: datetime) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = mail.to
        if mail.cc and mail.cc != mail.to:
            message["Cc"] = mail.cc
        message["Subject"] = mail.subject
        # Both fixed when the letter was queued, so a resend is the same message, not a new one.
        message["Date"] = format_datetime(written_at)
        message["Message-ID"] = message_id
        message.set_content(mail.body)
        return message

    async def send(self, mail: Mail, *, message_id: str, written_at: datetime) -> None:
        message = self.message(mail, message_id=message_id, written_at=written_at)
        await aiosmtplib.send(message, hostname=self._host, port=self._port, timeout=self._timeout_s)
