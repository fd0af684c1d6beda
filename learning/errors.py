"""Errors meant for the user: a message-catalog key plus values, never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """Something the user can fix; the UI shows ``t(key, **values)``."""

    def __init__(self, key: str, **values: object):
        self.key = key
        self.values = values
        super().__init__(key)
