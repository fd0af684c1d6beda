"""Sending statements to a Learning Record Store from a durable queue in the store.

``send`` (the ``xapi-send`` command, run from cron) sends what waits in the queue, then:

1. *Scan*: builds the statements of events stored since the last scan (less a grace
   period for writes in flight and clocks that differ a little) and puts the new ones in
   the queue: documents ``xapi_outbox/<slot>`` of up to ``BATCH`` statements. The cursor
   (``xapi_state/cursor``) moves only after the queue holds them, and remembers the ids
   it saw inside the grace period, so the next scan does not queue them again.
2. *Drain*: posts each queued batch to ``<endpoint>/statements``; a batch leaves the
   queue (its slot is emptied for reuse) only after the LRS said it stored it. While the
   LRS is down or refuses the credentials, everything stays queued and the command says
   why (exit 1). If a batch was stored but the process died before emptying its slot,
   the LRS already has those ids and answers 409; then each statement goes again with
   ``PUT ?statementId=``, which the LRS accepts as the same statement (204), so none is
   stored twice. A statement the LRS refuses as invalid (400, 422) is set aside in
   ``xapi_state/refused`` with the LRS's answer, so it does not hold up the rest.

A lease in ``xapi_state/lease`` keeps two senders (cron runs that overlap) apart.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from learning.clock import Clock, utc_now
from learning.content.catalog import ContentCatalog
from learning.errors import UserError
from learning.storage.repository import Repository

from .export import statements
from .xapi import XAPI_VERSION, XapiConfig, iso

OUTBOX = "xapi_outbox"
STATE = "xapi_state"
BATCH = 100
GRACE = timedelta(minutes=15)
LEASE = timedelta(minutes=10)
ENDPOINT_ENV = "LEARNING_XAPI_ENDPOINT"
USERNAME_ENV = "LEARNING_XAPI_USERNAME"
PASSWORD_ENV = "LEARNING_XAPI_PASSWORD"
TIMEOUT = 30
log = logging.getLogger("learning.interop")


@dataclass(frozen=True)
class LrsSettings:
    endpoint: str
    username: str
    password: str

    @classmethod
    def from_env(cls) -> LrsSettings | None:
        """None when no LRS is configured (sending is off); an endpoint without credentials is an error."""
        endpoint = os.environ.get(ENDPOINT_ENV, "").strip()
        if not endpoint:
            return None
        username, password = os.environ.get(USERNAME_ENV, ""), os.environ.get(PASSWORD_ENV, "")
        if not username or not password:
            raise UserError("interop.lrs_no_credentials", endpoint=ENDPOINT_ENV, username=USERNAME_ENV,
                            password=PASSWORD_ENV)
        if not endpoint.startswith(("https://", "http://")):
            raise UserError("interop.lrs_bad_endpoint", variable=ENDPOINT_ENV)
        return cls(endpoint.rstrip("/") + "/", username, password)


class LrsUnavailable(Exception):
    """The LRS could not take statements now (down, refused, an error): try again later."""


class LrsClient:
    """The statements resource of xAPI 1.0.3 with HTTP basic authentication; nothing more."""

    def __init__(self, settings: LrsSettings):
        self.settings = settings
        token = base64.b64encode(f"{settings.username}:{settings.password}".encode()).decode("ascii")
        self.headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": XAPI_VERSION,
                        "Content-Type": "application/json"}

    def _call(self, method: str, query: dict | None = None, body: object = None) -> tuple[int, bytes]:
        url = self.settings.endpoint + "statements"
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method, headers=self.headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - configured https URL
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()
        except (urllib.error.URLError, OSError) as exc:
            raise LrsUnavailable(str(getattr(exc, "reason", exc))) from exc

    def post(self, batch: list[dict]) -> list[tuple[str, str]]:
        """Store a batch; returns the statements the LRS refused as invalid (id, its answer).

        A batch holding an id the LRS already has (409), or one it refuses (400, 422), goes
        again statement by statement, so one bad statement never holds up the others.
        """
        status, body = self._call("POST", body=batch)
        if status in (200, 204):  # 204: every id was stored already (some LRSs say so)
            return []
        if status in (400, 409, 422):
            return [refused for statement in batch if (refused := self.put(statement)) is not None]
        raise LrsUnavailable(_answer(status, body))

    def put(self, statement: dict) -> tuple[str, str] | None:
        """Store one statement under its id; None when stored (now or before), else (id, the LRS's answer)."""
        status, body = self._call("PUT", {"statementId": statement["id"]}, statement)
        if status in (204, 200):
            return None
        if status == 409:  # the LRS holds a different statement under this id: sending again cannot help
            log.warning("xAPI: the LRS holds another statement with id %s; left as it is", statement["id"])
            return None
        if status in (400, 422):
            log.warning("xAPI: the LRS refused statement %s: %s", statement["id"], _answer(status, body))
            return statement["id"], _answer(status, body)
        raise LrsUnavailable(_answer(status, body))

    def get(self, **query: str) -> dict:
        status, body = self._call("GET", query)
        if status != 200:
            raise LrsUnavailable(_answer(status, body))
        return json.loads(body)


def _answer(status: int, body: bytes) -> str:
    return f"HTTP {status}: {body[:300].decode('utf-8', 'replace')}"


@dataclass
class SendResult:
    queued: int = 0
    sent: int = 0
    refused: int = 0
    waiting: int = 0
    error: str | None = None
    busy: bool = False


class StatementQueue:
    """The outbox in the repository's document collections (every adapter has them)."""

    def __init__(self, repo: Repository, clock: Clock = utc_now):
        self.repo, self.clock = repo, clock

    def batches(self) -> list[dict]:
        return sorted((d for d in self.repo.list_docs(OUTBOX) if d.get("statements")), key=lambda d: d["slot"])

    def pending(self) -> int:
        return sum(len(d["statements"]) for d in self.batches())

    def add(self, new: list[dict], deliver: Callable[[dict], None] | None = None) -> int:
        """Queue the statements not queued yet, in batches; returns how many were added.

        ``deliver`` gets each batch once it is stored, so a reachable LRS empties its slot
        before the next one is written and the queue stays one batch long (the embedded store
        rewrites its documents file on every write); only while the LRS is away does it grow.
        """
        docs = self.repo.list_docs(OUTBOX)
        queued = {s["id"] for d in docs for s in d.get("statements", [])}
        fresh = [s for s in new if s["id"] not in queued]
        free = sorted(d["slot"] for d in docs if not d.get("statements"))
        used = max((int(d["slot"]) for d in docs), default=0)
        for start in range(0, len(fresh), BATCH):
            if free:
                slot = free.pop(0)
            else:
                used += 1
                slot = f"{used:08d}"
            batch = {"slot": slot, "statements": fresh[start:start + BATCH], "queued_at": iso(self.clock())}
            self.repo.put_doc(OUTBOX, slot, batch)
            if deliver is not None:
                deliver(batch)
                if not (self.repo.get_doc(OUTBOX, slot) or {}).get("statements"):
                    free.append(slot)
        return len(fresh)

    def done(self, slot: str) -> None:
        self.repo.put_doc(OUTBOX, slot, {"slot": slot, "statements": []})

    def set_aside(self, refused: list[tuple[str, str]], statements: list[dict]) -> None:
        """Statements the LRS refused as invalid: kept apart (the last 1000) for whoever looks into it."""
        by_id = {s["id"]: s for s in statements}
        at = iso(self.clock())

        def change(doc: dict | None) -> dict:
            kept = (doc or {}).get("statements", [])
            kept += [{"at": at, "answer": answer, "statement": by_id[sid]} for sid, answer in refused]
            return {"statements": kept[-1000:]}

        self.repo.update_doc(STATE, "refused", change)

    # --- the scan cursor and the lease ---------------------------------------
    def cursor(self) -> tuple[datetime | None, set[str]]:
        doc = self.repo.get_doc(STATE, "cursor") or {}
        at = doc.get("scanned_to")
        return (datetime.fromisoformat(at) if at else None), set(doc.get("recent", []))

    def move_cursor(self, scanned_to: datetime, recent: list[str]) -> None:
        self.repo.put_doc(STATE, "cursor", {"scanned_to": scanned_to.isoformat(), "recent": sorted(recent)})

    def take_lease(self) -> str | None:
        token, now = secrets.token_hex(8), self.clock()

        def change(doc: dict | None) -> dict:
            if doc and doc.get("holder") and datetime.fromisoformat(doc["until"]) > now:
                return doc
            return {"holder": token, "until": (now + LEASE).isoformat()}

        return token if self.repo.update_doc(STATE, "lease", change)["holder"] == token else None

    def release(self, token: str) -> None:
        self.repo.update_doc(STATE, "lease", lambda doc: {"holder": "", "until": ""}
                             if doc and doc.get("holder") == token else doc or {"holder": "", "until": ""})


def scan(queue: StatementQueue, repo: Repository, content: ContentCatalog, config: XapiConfig,
         deliver: Callable[[dict], None] | None = None) -> int:
    """Queue the statements of events stored since the last scan; returns how many were new."""
    started = queue.clock()
    last, seen = queue.cursor()
    since = None if last is None else last - GRACE
    scanned = list(statements(repo, content, config, since=since))
    added = queue.add([s for s in scanned if s["id"] not in seen], deliver)
    window = iso(started - GRACE)  # the next scan reads from here: remember what it will see again
    recent = [s["id"] for s in scanned if s["timestamp"] >= window]
    queue.move_cursor(started, recent)
    return added


def deliver(queue: StatementQueue, client: LrsClient, batch: dict, result: SendResult) -> None:
    """Post one stored batch and empty its slot; after the first failure, leave the rest queued."""
    if result.error is not None:
        return
    try:
        refused = client.post(batch["statements"])
    except LrsUnavailable as exc:
        result.error = str(exc)
        return
    if refused:
        queue.set_aside(refused, batch["statements"])
    queue.done(batch["slot"])
    result.sent += len(batch["statements"]) - len(refused)
    result.refused += len(refused)


def send(repo: Repository, content: ContentCatalog, config: XapiConfig, settings: LrsSettings,
         clock: Clock = utc_now) -> SendResult:
    """Under the lease: what waits in the queue first (oldest first), then what happened since the last scan."""
    queue = StatementQueue(repo, clock)
    result = SendResult()
    token = queue.take_lease()
    if token is None:
        result.busy = True
        return result
    client = LrsClient(settings)
    try:
        for batch in queue.batches():
            deliver(queue, client, batch, result)
        result.queued = scan(queue, repo, content, config, lambda batch: deliver(queue, client, batch, result))
    finally:
        queue.release(token)
    result.waiting = queue.pending()
    return result
