"""The draft record and its states: what an author works on until it is published or thrown away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from learning.content.bundle import (
    Files,
    Kind,
    load_data,
    main_path,
)
from learning.content.translations import twin_name
from learning.records import Role, User
from learning.services.published import (
    ReviewComment,
)

DRAFTS = "author_drafts"
AUTHOR_ROLES = (Role.AUTHOR, Role.ADMIN)
MIN_PROVENANCE, MAX_PROVENANCE = 10, 1000
MAX_COMMENT = 2000
MAX_TITLE = 200
NEW_LESSON_ID = "leksjon-1"


class DraftStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    DISCARDED = "discarded"


OPEN = frozenset({DraftStatus.DRAFT, DraftStatus.REVIEW})


class DraftAction(StrEnum):
    """What approving the draft does: publish its files, or withdraw the item from learners."""

    PUBLISH = "publish"
    WITHDRAW = "withdraw"


class Draft(BaseModel):
    """Work in progress on one module or scenario; at most one open draft per item."""

    kind: Kind
    item_id: str
    status: DraftStatus = DraftStatus.DRAFT
    files: Files
    base_version: int | None = Field(default=None, description="Published version the draft started from.")
    base_digest: str | None = Field(default=None, description="Digest of the published files it started from.")
    revision: int = Field(default=1, description="Raised on every change; guards against lost updates.")
    created_by: str
    created_by_name: str
    created_at: datetime
    updated_by: str
    updated_by_name: str
    updated_at: datetime
    editors: list[str] = Field(default_factory=list, description="Who changed the text; they cannot approve it.")
    provenance: str = ""
    submitted_by: str | None = None
    submitted_by_name: str = ""
    submitted_at: datetime | None = None
    comments: list[ReviewComment] = Field(default_factory=list)
    published_version: int | None = None
    action: DraftAction = DraftAction.PUBLISH
    restored_from: int | None = Field(default=None, description="The earlier version this draft went back to.")
    language: str | None = Field(default=None, description="A translation's language (nn, en); None: the "
                                 "bokmål source. A translation's files are twin files only (translating.py).")

    @property
    def key(self) -> str:
        return draft_key(self.kind, self.item_id, self.language)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def title(self) -> str:
        path = main_path(self.kind, self.item_id)
        title = load_data(self.files.get(twin_name(path, self.language) if self.language else path, "")).get("title")
        return title if isinstance(title, str) and title.strip() else self.item_id


def draft_key(kind: Kind, item_id: str, language: str | None = None) -> str:
    """``module:id`` for the bokmål source, ``module:id:nn`` for its nynorsk translation."""
    return f"{kind.value}:{item_id}:{language}" if language else f"{kind.value}:{item_id}"


class ItemStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ItemSummary:
    """A row in the author's list: built-in or authored, with its status."""

    kind: Kind
    item_id: str
    title: str
    status: ItemStatus
    published_version: int | None
    built_in: bool
    draft: Draft | None


@dataclass(frozen=True)
class HistoryEntry:
    version: int
    built_in: bool
    published_at: datetime | None
    published_by: str
    submitted_by: str
    provenance: str
    diff: str
    withdrawn: bool = False
    raised_by_quiz: int | None = None  # published because the module's scenario got this version
    old_files: Files | None = None
    files: Files | None = None


def is_own(actor: User, draft: Draft) -> bool:
    """The review rule: who wrote, edited or sent a draft may not approve, return or publish it."""
    return actor.id in draft.editors or actor.id == draft.submitted_by
