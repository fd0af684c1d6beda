"""The store's domain errors: which data file could not be read, in words the user can act on.

Raised from ``learning.storage`` only, so no JSON or TinyDB detail reaches the services or
pages. They are ``UserError``s: pages show them through the usual error display.
"""

from __future__ import annotations

from learning.errors import UserError


class DamagedFile(UserError):
    """A data file that cannot be used: not JSON, the wrong shape, a record that fails its checks.

    Nothing is ever written over it. ``shared`` files (users, assignments, authoring
    documents) stop the app with a message naming the file; a person's own file
    affects only that person (reports skip and count it). ``reason`` is for the log.
    """

    def __init__(self, name: str, reason: str, *, shared: bool, key: str | None = None):
        super().__init__(key or ("storage.damaged_shared" if shared else "storage.damaged_person"), file=name)
        self.name = name
        self.reason = reason
        self.shared = shared

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


class StorageUnavailable(UserError):
    """The database could not be reached or refused an operation; nothing was changed.

    Raised instead of any driver exception, so services and pages need not know the
    database. ``where`` is host:port/database (never the password); ``reason`` is for the log.
    """

    def __init__(self, where: str, reason: str):
        super().__init__("database.unavailable", where=where)
        self.where = where
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


class StoreNotEmpty(UserError):
    """``Repository.fresh_load`` was asked to fill a store that already holds data; nothing was written."""

    def __init__(self, where: str):
        super().__init__("demo.not_empty", folder=where)
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: not empty"
