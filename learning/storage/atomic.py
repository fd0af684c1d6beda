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


_write_count = 0


def write_count() -> int:
    """How many files this process has written: a cheap "has anything changed?" check."""
    return _write_count


def bump_write_count() -> None:
    global _write_count
    _write_count += 1


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Write ``payload`` so that readers see the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(payload)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)
    bump_write_count()


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
    whether it holds everyone's data; ``check`` validates freshly read data (raises ValueError).
    """

    def __init__(self, path: str | os.PathLike, *, name: str | None = None, shared: bool = True,
                 check: Callable[[dict], None] | None = None, **_: object):
        self.path = Path(path)
        self.name = name or self.path.name
        self.shared = shared
        self.check = check
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
