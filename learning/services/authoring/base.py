"""What every part of the authoring service shares: the store, the catalog, the draft read-modify-write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from learning.clock import Clock, utc_now
from learning.content.bundle import (
    Files,
    Kind,
    files_on_disk,
)
from learning.content.catalog import ContentCatalog
from learning.errors import UserError
from learning.records import User
from learning.services.authoring.drafts import DRAFTS, Draft, draft_key, is_own
from learning.services.published import (
    all_versions,
    effective_catalog,
)
from learning.storage.repository import Repository


def on_open_draft(change: Callable[[Draft], Draft]) -> Callable[[dict | None], dict]:
    """``change`` as a stored-document change that refuses a draft that is gone or closed."""
    def apply(doc: dict | None) -> dict:
        current = Draft.model_validate(doc) if doc else None
        if current is None or not current.is_open:
            raise UserError("author.draft_not_found")
        return change(current).model_dump(mode="json")

    return apply

class AuthoringBase:
    """The store, the built-in files and the helpers the reading, workflow and transfer parts use."""

    def __init__(self, repo: Repository, files: ContentCatalog, content_root: Path, clock: Clock = utc_now):
        self.repo = repo
        self.files = files  # built-in content, from the repository's files
        self.content_root = content_root
        self.clock = clock

    # --- helpers -----------------------------------------------------------
    def _catalog(self) -> ContentCatalog:
        return effective_catalog(self.files, self.repo)

    def _drafts(self) -> list[Draft]:
        return [Draft.model_validate(doc) for doc in self.repo.list_docs(DRAFTS)]

    def _load(self, kind: Kind, item_id: str, language: str | None = None) -> Draft | None:
        doc = self.repo.get_doc(DRAFTS, draft_key(kind, item_id, language))
        return Draft.model_validate(doc) if doc else None

    def _open(self, kind: Kind, item_id: str, language: str | None = None) -> Draft:
        draft = self._load(kind, item_id, language)
        if draft is None or not draft.is_open:
            raise UserError("author.draft_not_found")
        return draft

    def _change(self, kind: Kind, item_id: str, change: Callable[[Draft], Draft],
                language: str | None = None) -> Draft:
        """Read-modify-write one open draft under the store's lock."""
        key = draft_key(kind, item_id, language)
        return Draft.model_validate(self.repo.update_doc(DRAFTS, key, on_open_draft(change)))

    @staticmethod
    def _expect(draft: Draft, revision: int | None) -> None:
        if revision is not None and draft.revision != revision:
            raise UserError("author.stale")

    def _stamp(self, actor: User) -> dict:
        return {"updated_by": actor.id, "updated_by_name": actor.name, "updated_at": self.clock()}

    def _published_model(self, kind: Kind, item_id: str, catalog: ContentCatalog | None = None):
        catalog = catalog or self._catalog()
        return (catalog.quizzes if kind == Kind.QUIZ else catalog.modules).get(item_id)

    def _current_files(self, kind: Kind, item_id: str, catalog: ContentCatalog | None = None) -> Files | None:
        """Files of what learners see now: the latest authored version or the built-in files."""
        model = self._published_model(kind, item_id, catalog)
        if model is None:
            return None
        for version in reversed(all_versions(self.repo)):
            if version.kind == kind and version.item_id == item_id and version.version == model.version:
                return dict(version.files)
        return files_on_disk(self.content_root, kind, model)

    def _version_files(self, kind: Kind, item_id: str, number: int) -> Files | None:
        """The files of one earlier version learners saw (built-in or published; not a withdrawal)."""
        for version in all_versions(self.repo):
            if (version.kind, version.item_id, version.version) == (kind, item_id, number) and not version.withdrawn:
                return dict(version.files)
        built_in = (self.files.quizzes if kind == Kind.QUIZ else self.files.modules).get(item_id)
        if built_in is not None and built_in.version == number:
            return files_on_disk(self.content_root, kind, built_in)
        return None

    def _known_quizzes(self, catalog: ContentCatalog, *, with_drafts: bool) -> set[str]:
        known = set(catalog.quizzes)
        if with_drafts:
            known |= {d.item_id for d in self._drafts() if d.kind == Kind.QUIZ and d.is_open and not d.language}
        return known

    @staticmethod
    def _may_review(actor: User, draft: Draft) -> None:
        if is_own(actor, draft):
            raise UserError("author.own_draft")

    def _next_version(self, kind: Kind, item_id: str) -> int:
        built_in = (self.files.quizzes if kind == Kind.QUIZ else self.files.modules).get(item_id)
        numbers = [built_in.version] if built_in else []
        numbers += [v.version for v in all_versions(self.repo) if v.kind == kind and v.item_id == item_id]
        return max(numbers, default=0) + 1

    def _start(self, actor: User, kind: Kind, item_id: str, files: Files, *, base_version: int | None,
               editors: list[str], base_digest: str | None = None) -> Draft:
        draft, apply = self._starting(actor, kind, item_id, files, base_version=base_version, editors=editors,
                                      base_digest=base_digest)
        return Draft.model_validate(self.repo.update_doc(DRAFTS, draft.key, apply))

    def _starting(self, actor: User, kind: Kind, item_id: str, files: Files, *, base_version: int | None,
                  editors: list[str], base_digest: str | None = None) -> tuple[Draft, Callable[[dict | None], dict]]:
        """A new draft and the stored-document change that writes it (refused over an open draft)."""
        now = self.clock()
        draft = Draft(kind=kind, item_id=item_id, files=files, base_version=base_version, base_digest=base_digest,
                      created_by=actor.id,
                      created_by_name=actor.name, created_at=now, updated_by=actor.id, updated_by_name=actor.name,
                      updated_at=now, editors=editors)

        def apply(doc: dict | None) -> dict:
            if doc is not None and Draft.model_validate(doc).is_open:
                raise UserError("author.draft_open", id=item_id)
            return draft.model_dump(mode="json")

        return draft, apply
