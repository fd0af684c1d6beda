"""The audit log as an append-only JSON-lines file (``audit.jsonl`` in the data folder).

Why a separate file and not a TinyDB table: an append must never rewrite what is
there (cost and risk grow with the log), and many processes must be able to append
at once. Each entry is one line, written with ``O_APPEND`` under the file's lock
(a thread lock plus ``flock`` on ``.audit.jsonl.lock``), then flushed and fsynced.

A crash in the middle of a write leaves a torn last line: readers skip any line that
is not a whole entry, and the next append first ends the torn line, so one torn
line never takes a good entry with it. Pruning rewrites the file atomically (temp
file + ``os.replace``) under the same lock.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from learning.records import AuditEntry
from learning.storage.atomic import atomic_write_bytes

AUDIT_FILE = "audit.jsonl"
log = logging.getLogger("learning.storage")


class _Lock(Protocol):
    def exclusive(self): ...


def _encode(entry: AuditEntry) -> bytes:
    return (json.dumps(entry.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class AuditLogFile:
    """Append, read and prune ``audit.jsonl``; callers see ``AuditEntry`` only."""

    def __init__(self, path: Path, lock: _Lock):
        self.path = path
        self.lock = lock

    def append(self, entry: AuditEntry) -> None:
        """One whole line, durable before this returns; safe with other threads and processes."""
        line = _encode(entry)
        with self.lock.exclusive():
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    line = b"\n" + line  # end a line torn by a crash, so it stays one bad line
                view = memoryview(line)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)

    def _lines(self) -> Iterator[tuple[int, bytes]]:
        try:
            with open(self.path, "rb") as handle:
                yield from enumerate(handle, start=1)
        except FileNotFoundError:
            return

    def entries(self, keep: Callable[[AuditEntry], bool] | None = None) -> list[AuditEntry]:
        """Whole entries in the order written; a line that is not one (torn by a crash) is skipped."""
        out: list[AuditEntry] = []
        bad = 0
        for _, raw in self._lines():
            entry = _parse(raw)
            if entry is None:
                bad += raw.strip() != b""
            elif keep is None or keep(entry):
                out.append(entry)
        if bad:
            log.warning("Audit log %s: %d line(s) that are not whole entries were skipped", self.path, bad)
        return out

    def prune(self, before: datetime) -> int:
        """Drop entries older than ``before`` (and lines that are not entries); returns how many entries went."""
        with self.lock.exclusive():
            kept: list[bytes] = []
            removed = bad = 0
            for _, raw in self._lines():
                entry = _parse(raw)
                if entry is None:
                    bad += 1
                elif entry.at < before:
                    removed += 1
                else:
                    kept.append(raw if raw.endswith(b"\n") else raw + b"\n")
            if removed or bad:
                atomic_write_bytes(self.path, b"".join(kept))
            return removed


def _parse(raw: bytes) -> AuditEntry | None:
    """A line's entry, or None for a torn or foreign line."""
    try:
        return AuditEntry.model_validate_json(raw)
    except (ValueError, ValidationError):
        return None
