"""A page of a municipality's users from their stored documents, for adapters that hold them in memory.

Only the page's documents become ``User`` records: filtering and sorting 20 000 plain dicts is
cheap, validating them all on every rerun of the users page was not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from learning.records import User
from learning.storage.read_models import UserPage, name_key


def user_page(docs: Iterable[dict], municipality: str, search: str, offset: int, limit: int,
              load: Callable[[dict], User] = User.model_validate) -> UserPage:
    """Users of ``municipality`` whose name or username holds ``search``, by name (then id)."""
    wanted = name_key(search.strip())
    found = [(name_key(doc["name"]), doc["id"], doc) for doc in docs
             if doc["municipality"] == municipality
             and (not wanted or wanted in name_key(doc["name"]) or wanted in name_key(doc["username"]))]
    found.sort(key=lambda item: item[:2])
    return UserPage(tuple(load(doc) for _, _, doc in found[offset:offset + limit]), len(found))
