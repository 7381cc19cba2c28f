"""SMTP adapter: sends a composed letter with aiosmtplib."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

import aiosmtplib

from identity.letters import Mail


class SmtpMailer:
    def __init__(self, host: str, port: int, sender: str, *, timeout_s: float = 15.0):
        self._host = host
        self._port = port
        self._sender = sender
        self._timeout_s = timeout_s

    def message(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = mail.to
        if mail.cc and mail.cc != mail.to:
            message["Cc"] = mail.cc
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=parseaddr(self._sender)[1].rpartition("@")[2] or None)
        message.set_content(mail.body)
        return message

    async def send(self, mail: Mail) -> None:
        await aiosmtplib.send(self.message(mail), hostname=self._host, port=self._port, timeout=self._timeout_s)
