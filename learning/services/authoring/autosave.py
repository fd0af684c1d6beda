"""Autosave: each author's unsaved editor state, kept in the store so a sign-out loses nothing.

The editors write the form here whenever it differs from what was last kept; a save to
the draft (or a discard) drops it. It is the author's own copy: nobody else reads it,
and it never becomes a draft by itself.
"""

from __future__ import annotations

import json
from datetime import datetime

from pydantic import BaseModel

from learning.content.bundle import MAX_DRAFT_CHARS, Files, Kind, files_size
from learning.errors import UserError
from learning.records import User
from learning.services.authoring.base import AuthoringBase
from learning.services.authoring.drafts import AUTHOR_ROLES
from learning.services.authz import require_role

AUTOSAVES = "author_autosaves"


class KeptCopy(BaseModel):
    """What one author had typed in one item's editor, and the draft revision it started from."""

    user_id: str
    kind: Kind
    item_id: str
    revision: int
    files: Files
    form: dict
    at: datetime
    dropped: bool = False
    language: str | None = None  # a translation's form


def _key(actor: User, kind: Kind, item_id: str, language: str | None = None) -> str:
    return f"{actor.id}:{kind.value}:{item_id}:{language}" if language else f"{actor.id}:{kind.value}:{item_id}"


class Autosave(AuthoringBase):
    def keep(self, actor: User | None, kind: Kind, item_id: str, *, revision: int, files: Files,
             form: dict, language: str | None = None) -> KeptCopy:
        """Keep what ``actor`` typed (the draft itself is not changed)."""
        actor = require_role(actor, *AUTHOR_ROLES)
        if files_size(files) > MAX_DRAFT_CHARS or len(json.dumps(form, default=str)) > 2 * MAX_DRAFT_CHARS:
            raise UserError("author.too_large", limit=MAX_DRAFT_CHARS)
        copy = KeptCopy(user_id=actor.id, kind=kind, item_id=item_id, revision=revision, files=dict(files),
                        form=form, at=self.clock(), language=language)
        self.repo.put_doc(AUTOSAVES, _key(actor, kind, item_id, language), copy.model_dump(mode="json"))
        return copy

    def kept(self, actor: User | None, kind: Kind, item_id: str, language: str | None = None) -> KeptCopy | None:
        """The author's own kept copy of this item (or of its translation), if any."""
        actor = require_role(actor, *AUTHOR_ROLES)
        doc = self.repo.get_doc(AUTOSAVES, _key(actor, kind, item_id, language))
        if not doc:
            return None
        copy = KeptCopy.model_validate(doc)
        return None if copy.dropped else copy

    def drop_kept(self, actor: User | None, kind: Kind, item_id: str, language: str | None = None) -> None:
        """Forget the kept copy (after a save, a discard, or when the author throws it away)."""
        actor = require_role(actor, *AUTHOR_ROLES)
        key = _key(actor, kind, item_id, language)
        if self.repo.get_doc(AUTOSAVES, key):
            self.repo.put_doc(AUTOSAVES, key, {"user_id": actor.id, "kind": kind.value, "item_id": item_id,
                                               "revision": 0, "files": {}, "form": {}, "at": self.clock().isoformat(),
                                               "dropped": True, "language": language})
