"""Private reflection notes: what a learner writes under a lesson's «Refleksjon» box.

Only the owner reads or writes them: every method takes the signed-in user and works on
that user's own documents (``Repository.user_docs``), and no method takes another person's
id, so no manager page, report or export can reach them. They are part of the owner's own-data
export (``services/gdpr.py``) and are deleted when the person's data is erased.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel

from learning.clock import Clock, utc_now
from learning.errors import UserError
from learning.records import Role, User
from learning.services.authz import require_role
from learning.storage.repository import Repository

COLLECTION = "notes"
MAX_CHARS = 5000
_OPEN = re.compile(r"^\s*:::\s*refleksjon\s*$")
_CLOSE = re.compile(r"^\s*:::\s*$")


class Note(BaseModel):
    module_id: str
    lesson_id: str
    index: int
    prompt: str = ""
    text: str
    updated_at: datetime


@dataclass(frozen=True)
class Part:
    """A piece of a lesson's Markdown; ``reflection`` is the n-th «Refleksjon» box (None: other text)."""

    markdown: str
    reflection: int | None = None


def split_reflections(body: str) -> list[Part]:
    """The lesson in pieces, each «Refleksjon» box on its own, so a note field can follow each one."""
    parts: list[Part] = []
    plain: list[str] = []
    box: list[str] | None = None
    count = 0
    for line in body.splitlines():
        if box is None and _OPEN.match(line):
            if plain:
                parts.append(Part("\n".join(plain)))
                plain = []
            box = [line]
        elif box is not None:
            box.append(line)
            if _CLOSE.match(line):
                parts.append(Part("\n".join(box), count))
                count += 1
                box = None
        else:
            plain.append(line)
    rest = plain + (box or [])
    if rest:
        parts.append(Part("\n".join(rest)))
    return parts


def prompt_of(box: str) -> str:
    """The box's question as plain text (its first lines, without the fence), to show beside the note."""
    lines = [line for line in box.splitlines() if not _OPEN.match(line) and not _CLOSE.match(line)]
    return " ".join(" ".join(lines).split())[:300]


def _key(module_id: str, lesson_id: str, index: int) -> str:
    return f"{module_id}/{lesson_id}/{index}"


class NotesService:
    def __init__(self, repo: Repository, clock: Clock = utc_now):
        self.repo = repo
        self.clock = clock

    def mine(self, user: User | None) -> list[Note]:
        """The signed-in person's notes, newest first."""
        user = require_role(user, *Role)
        notes = [Note.model_validate(doc) for doc in self.repo.user_docs(user.id, COLLECTION).values()]
        return sorted(notes, key=lambda n: n.updated_at, reverse=True)

    def for_lesson(self, user: User | None, module_id: str, lesson_id: str) -> dict[int, Note]:
        return {n.index: n for n in self.mine(user) if (n.module_id, n.lesson_id) == (module_id, lesson_id)}

    def save(self, user: User | None, module_id: str, lesson_id: str, index: int, text: str,
             prompt: str = "") -> Note | None:
        """Keep what the person wrote; an empty note removes it."""
        user = require_role(user, *Role)
        if len(text) > MAX_CHARS:
            raise UserError("notes.too_long", max=MAX_CHARS)
        key = _key(module_id, lesson_id, index)
        if not text.strip():
            self.repo.update_user_doc(user.id, COLLECTION, key, lambda _: None)
            return None
        note = Note(module_id=module_id, lesson_id=lesson_id, index=index, prompt=prompt[:300], text=text,
                    updated_at=self.clock())
        self.repo.update_user_doc(user.id, COLLECTION, key, lambda _: note.model_dump(mode="json"))
        return note


def erase_notes(repo: Repository, user_id: str) -> int:
    """Delete every note of a person (erasure of their personal data); returns how many went."""
    keys = list(repo.user_docs(user_id, COLLECTION))
    for key in keys:
        repo.update_user_doc(user_id, COLLECTION, key, lambda _: None)
    return len(keys)
