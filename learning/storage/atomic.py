"""TinyDB storage that writes atomically and reads from memory.

TinyDB's JSONStorage rewrites its file in place (a crash leaves half a file)
and re-reads it on every query. This one writes a temp file, fsyncs it and
``os.replace``s it over the old one, and keeps the parsed data in memory
until the file's identity (inode, size, mtime) changes.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from tinydb.storages import Storage


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


class AtomicJSONStorage(Storage):
    """Callers must hold the file's lock around read-modify-write (see LockedDB)."""

    def __init__(self, path: str | os.PathLike, **_: object):
        self.path = Path(path)
        self._data: dict | None = None
        self._stamp: tuple[int, int, int] | None = None

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
            with open(self.path, encoding="utf-8") as handle:
                self._data = json.load(handle)
            self._stamp = stamp
        return self._data

    def write(self, data: dict) -> None:
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
