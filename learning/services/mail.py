"""E-mail through SMTP from a durable outbox: nothing lost while the mail server is down, nothing sent twice.

Each message is a document of its recipient (``Repository.user_docs(user_id, "mail")``) with
a key that says what it is about (``due:<module>:<deadline>``, ``digest:2026-W48``), so
planning the same reminder again finds it there and adds nothing. Delivery claims a pending
message in one atomic step (status ``sending``), sends it, then marks it ``sent``; a failed
connection puts it back as ``pending`` with a later ``next_try`` (5 minutes, doubling, at most
6 hours; given up after 10 tries). A claim left behind by a crash between sending and marking
is never sent again: the message may have gone out, so it becomes ``uncertain`` and is
logged, which keeps "never twice" over "surely once". Two runs at once cannot both claim one
message. Settings come from the environment (see README, "E-mail").
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from learning.clock import Clock, utc_now
from learning.records import User
from learning.storage.repository import Repository

log = logging.getLogger("learning.mail")
COLLECTION = "mail"
SETTINGS_KEY = "settings"
FIRST_RETRY = timedelta(minutes=5)
LAST_RETRY = timedelta(hours=6)
MAX_TRIES = 10
STALE_CLAIM = timedelta(minutes=15)
PENDING, SENDING, SENT, FAILED, UNCERTAIN = "pending", "sending", "sent", "failed", "uncertain"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str        # "starttls", "ssl" or "none"
    sender: str
    username: str = ""
    password: str = ""
    timeout: float = 10.0

    @classmethod
    def from_env(cls) -> SmtpSettings | None:
        """None when ``LEARNING_SMTP_HOST`` is unset: no mail is sent (messages wait in the outbox)."""
        host = os.environ.get("LEARNING_SMTP_HOST", "").strip()
        if not host:
            return None
        security = os.environ.get("LEARNING_SMTP_TLS", "starttls").strip().lower()
        if security not in ("starttls", "ssl", "none"):
            raise ValueError("LEARNING_SMTP_TLS must be starttls, ssl or none")
        default_port = {"starttls": 587, "ssl": 465, "none": 25}[security]
        return cls(host=host, port=int(os.environ.get("LEARNING_SMTP_PORT") or default_port), security=security,
                   sender=os.environ.get("LEARNING_SMTP_SENDER", "").strip() or f"noreply@{host}",
                   username=os.environ.get("LEARNING_SMTP_USER", ""),
                   password=os.environ.get("LEARNING_SMTP_PASSWORD", ""))


@dataclass(frozen=True)
class Mail:
    key: str
    to: str
    subject: str
    body: str
    mandatory: bool
    unsubscribe_url: str = ""


def wants(repo: Repository, user_id: str, kind: str) -> bool:
    """Whether the person still gets optional mail of this kind (they can unsubscribe from it)."""
    settings = repo.user_docs(user_id, COLLECTION).get(SETTINGS_KEY) or {}
    return kind not in settings.get("unsubscribed", [])


def set_subscribed(repo: Repository, user_id: str, kind: str, subscribed: bool) -> None:
    def change(doc: dict | None) -> dict:
        off = set((doc or {}).get("unsubscribed", []))
        off.discard(kind) if subscribed else off.add(kind)
        return {"unsubscribed": sorted(off)}

    repo.update_user_doc(user_id, COLLECTION, SETTINGS_KEY, change)


class Outbox:
    def __init__(self, repo: Repository, clock: Clock = utc_now):
        self.repo = repo
        self.clock = clock

    def enqueue(self, user: User, mail: Mail, known: set[str] | None = None) -> bool:
        """Add the message unless one with its key was ever added for this person; True if added.

        ``known``: the person's message keys as just read, so a message already there costs no write.
        """
        if known is not None and f"msg:{mail.key}" in known:
            return False
        added = [False]
        now = self.clock()

        def change(doc: dict | None) -> dict:
            if doc is not None:
                added[0] = False
                return doc
            added[0] = True
            return {"kind": "message", "to": mail.to, "subject": mail.subject, "body": mail.body,
                    "mandatory": mail.mandatory, "unsubscribe_url": mail.unsubscribe_url, "status": PENDING,
                    "tries": 0, "next_try": now.isoformat(), "created_at": now.isoformat(),
                    "message_id": make_msgid(domain="mittliv.invalid")}

        self.repo.update_user_doc(user.id, COLLECTION, f"msg:{mail.key}", change)
        return added[0]

    def _claim(self, user_id: str, key: str, now: datetime) -> dict | None:
        claimed: list[dict | None] = [None]

        def change(doc: dict | None) -> dict | None:
            claimed[0] = None
            if doc is None:
                return None
            if doc["status"] == SENDING and now - datetime.fromisoformat(doc["claimed_at"]) > STALE_CLAIM:
                return {**doc, "status": UNCERTAIN}
            if doc["status"] != PENDING or datetime.fromisoformat(doc["next_try"]) > now:
                return doc
            new = {**doc, "status": SENDING, "claimed_at": now.isoformat(), "tries": doc["tries"] + 1}
            claimed[0] = new
            return new

        self.repo.update_user_doc(user_id, COLLECTION, key, change)
        return claimed[0]

    def _settle(self, user_id: str, key: str, update: dict) -> None:
        self.repo.update_user_doc(user_id, COLLECTION, key, lambda doc: {**doc, **update} if doc else None)

    def deliver(self, settings: SmtpSettings | None, user_ids: Iterable[str]) -> dict[str, int]:
        """Send every due message of these people; returns counts by outcome."""
        counts = {"sent": 0, "retry": 0, "failed": 0}
        if settings is None:
            return counts
        now = self.clock()
        for user_id in user_ids:
            for key, doc in self.repo.user_docs(user_id, COLLECTION).items():
                if not key.startswith("msg:") or doc.get("status") not in (PENDING, SENDING):
                    continue
                if doc["status"] == PENDING and datetime.fromisoformat(doc["next_try"]) > now:
                    continue  # not due: no write (the claim checks again under the lock)
                message = self._claim(user_id, key, now)
                if message is None:
                    continue
                try:
                    send(settings, message, now)
                except (OSError, smtplib.SMTPException) as exc:
                    wait = min(LAST_RETRY, FIRST_RETRY * 2 ** (message["tries"] - 1))
                    gave_up = message["tries"] >= MAX_TRIES or isinstance(exc, smtplib.SMTPRecipientsRefused)
                    self._settle(user_id, key, {"status": FAILED if gave_up else PENDING,
                                                "next_try": (now + wait).isoformat(),
                                                "last_error": type(exc).__name__})
                    counts["failed" if gave_up else "retry"] += 1
                    log.warning("mail %s to user %s not sent (%s)", key, user_id, type(exc).__name__)
                    continue
                self._settle(user_id, key, {"status": SENT, "sent_at": now.isoformat()})
                counts["sent"] += 1
        return counts


def send(settings: SmtpSettings, message: dict, now: datetime) -> None:
    mail = EmailMessage()
    mail["From"] = settings.sender
    mail["To"] = message["to"]
    mail["Subject"] = message["subject"]
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = message["message_id"]
    if message.get("unsubscribe_url"):
        mail["List-Unsubscribe"] = f"<{message['unsubscribe_url']}>"
    mail.set_content(message["body"])
    client: smtplib.SMTP
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    with client:
        if settings.security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if settings.username:
            client.login(settings.username, settings.password)
        client.send_message(mail)


def mail_record(repo: Repository, user_id: str) -> dict:
    """For the person's own-data export: their mail settings and every message to them (without the text)."""
    docs = repo.user_docs(user_id, COLLECTION)
    return {"settings": docs.get(SETTINGS_KEY, {}),
            "messages": [{"about": key.removeprefix("msg:"), "subject": doc.get("subject"), "status": doc.get("status"),
                          "created_at": doc.get("created_at"), "sent_at": doc.get("sent_at")}
                         for key, doc in docs.items() if key.startswith("msg:")]}


def erase_mail(repo: Repository, user_id: str) -> None:
    """Erasure: the outbox and settings of the person go (messages name them and hold their address)."""
    for key in list(repo.user_docs(user_id, COLLECTION)):
        repo.update_user_doc(user_id, COLLECTION, key, lambda _: None)
