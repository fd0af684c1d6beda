"""TinyDB storage that writes atomically and reads from memory.

TinyDB's JSONStorage rewrites its file in place (a crash leaves half a file)
and re-reads it on every query. This one writes a temp file, fsyncs it and
``os.replace``s it over the old one, and keeps the parsed data in memory
until the file's identity (inode, size, mtime) changes.

A file it cannot read (not JSON, not TinyDB's shape, or failing the caller's
``check``) raises ``DamagedFile`` and is never written over: a write first reads
any file this storage has not read or written itself.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from tinydb.storages import Storage

from learning.storage.errors import DamagedFile

log = logging.getLogger("learning.storage")


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class ChangeCounter:
    """A number in a small file that grows with every write by any process on one data folder.

    It lets a cache in one process see another's writes (a second app process, the command
    line beside the app) without reading the data. Bumped under ``flock`` after the data
    file is in place, so a reader that sees the new number also sees the new data. Not
    fsynced: after a crash every process starts with empty caches anyway.
    """

    SIZE = 8

    def __init__(self, path: Path):
        self.path = path

    def _locked(self, operation: int) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, operation)
            return fd
        except BaseException:
            os.close(fd)
            raise

    def value(self) -> int:
        fd = self._locked(fcntl.LOCK_SH)
        try:
            return int.from_bytes(os.pread(fd, self.SIZE, 0) or b"\0", "big")
        finally:
            os.close(fd)  # closing releases the flock

    def bump(self) -> None:
        fd = self._locked(fcntl.LOCK_EX)
        try:
            current = int.from_bytes(os.pread(fd, self.SIZE, 0) or b"\0", "big")
            os.pwrite(fd, ((current + 1) % 2**63).to_bytes(self.SIZE, "big"), 0)
        finally:
            os.close(fd)


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Write ``payload`` so that readers see the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def check_shape(data: object) -> None:
    """TinyDB's layout: tables of documents keyed by whole numbers. Raises ValueError otherwise."""
    if not isinstance(data, dict):
        raise ValueError(f"top level is {type(data).__name__}, not an object of tables")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise ValueError(f"table {name!r} is {type(table).__name__}, not an object")
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                raise ValueError(f"table {name!r} has a bad record {doc_id!r}")


class AtomicJSONStorage(Storage):
    """Callers must hold the file's lock around read-modify-write (see LockedDB).

    ``name`` is how messages name the file (relative to the data folder); ``shared`` says
    whether it holds everyone's data; ``check`` validates freshly read data (raises ValueError);
    ``on_write`` runs after each write is in place (the data folder's change counter).
    """

    def __init__(self, path: str | os.PathLike, *, name: str | None = None, shared: bool = True,
                 check: Callable[[dict], None] | None = None, on_write: Callable[[], None] | None = None,
                 **_: object):
        self.path = Path(path)
        self.name = name or self.path.name
        self.shared = shared
        self.check = check
        self.on_write = on_write
        self._data: dict | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._failed: tuple[tuple[int, int, int], str] | None = None  # stamp and reason of a damaged file

    def current_stamp(self) -> tuple[int, int, int] | None:
        """The file's identity on disk now (inode, size, mtime), or None if there is no file."""
        return self._current_stamp()

    def _current_stamp(self) -> tuple[int, int, int] | None:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_size, stat.st_mtime_ns

    def read(self) -> dict | None:
        stamp = self._current_stamp()
        if stamp is None:
            self._data = None
            return None
        if self._data is None or stamp != self._stamp:
            self._data = self._load(stamp)
            self._stamp = stamp
        return self._data

    def _load(self, stamp: tuple[int, int, int]) -> dict:
        """Parse and check the file; a damaged one is logged once (per version of it) and raised."""
        if self._failed is None or self._failed[0] != stamp:
            try:
                with open(self.path, encoding="utf-8") as handle:
                    data = json.load(handle)
                check_shape(data)
                if self.check is not None:
                    self.check(data)
                self._failed = None
                return data
            except (OSError, UnicodeDecodeError, RecursionError, ValueError) as exc:  # JSONDecodeError too
                self._failed = (stamp, f"{type(exc).__name__}: {exc}"[:500])
                log.error("Data file %s cannot be read (%s); nothing is written over it. "
                          "Restore it from a backup.", self.path, self._failed[1])
        self._data = None
        raise DamagedFile(self.name, self._failed[1], shared=self.shared)

    def write(self, data: dict) -> None:
        on_disk = self._current_stamp()
        if on_disk is not None and on_disk != self._stamp:
            self.read()  # never write over a file not read here first: raises DamagedFile if it cannot be
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            atomic_write_bytes(self.path, payload)
        except BaseException:
            self.invalidate()
            raise
        self._data = data
        self._stamp = self._current_stamp()
        if self.on_write is not None:
            self.on_write()

    @property
    def stamp(self) -> tuple[int, int, int] | None:
        """Identity of the file last read or written; changes with every write."""
        return self._stamp

    def invalidate(self) -> None:
        """Forget the in-memory copy; the next read comes from disk."""
        self._data = None
        self._stamp = None

    def close(self) -> None:  # nothing held open between operations
        pass
