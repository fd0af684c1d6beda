"""Reading: the author's list, the review queue, checks, changes and history."""

from __future__ import annotations

from collections.abc import Callable

from learning.content.bundle import (
    Files,
    Kind,
    digest,
    files_diff,
    files_on_disk,
    load_data,
    main_path,
)
from learning.content.models import Module, Quiz
from learning.content.problems import Problem
from learning.records import User
from learning.services.authoring.base import AuthoringBase
from learning.services.authoring.drafts import (
    AUTHOR_ROLES,
    Draft,
    DraftStatus,
    HistoryEntry,
    ItemStatus,
    ItemSummary,
)
from learning.services.authoring.files import check_files
from learning.services.authz import require_role
from learning.services.published import PublishedVersion, all_versions, latest_versions


class Reading(AuthoringBase):
    check_translation: Callable[[Draft], tuple[Module | Quiz | None, list[Problem]]]  # from Translating
    # --- reading -------------------------------------------------------------
    def items(self, actor: User | None) -> list[ItemSummary]:
        """Every module and scenario: built-in, published by authors, or drafted."""
        require_role(actor, *AUTHOR_ROLES)
        catalog = self._catalog()
        drafts = {(d.kind, d.item_id): d for d in self._drafts() if d.is_open and not d.language}
        withdrawn = {key: v for key, v in latest_versions(all_versions(self.repo)).items()
                     if v.withdrawn and self._published_model(*key, catalog) is None}
        keys = ({(Kind.MODULE, i) for i in catalog.modules} | {(Kind.QUIZ, i) for i in catalog.quizzes} | set(drafts)
                | set(withdrawn))
        out = []
        for kind, item_id in keys:
            model = self._published_model(kind, item_id, catalog)
            draft = drafts.get((kind, item_id))
            if draft is not None:
                status = ItemStatus.REVIEW if draft.status == DraftStatus.REVIEW else ItemStatus.DRAFT
                title = draft.title
            elif model is None:
                status = ItemStatus.WITHDRAWN
                title = _title(withdrawn[(kind, item_id)].files, kind, item_id)
            else:
                status = ItemStatus.PUBLISHED
                title = model.title if kind == Kind.QUIZ else model.meta.title
            built_in = item_id in (self.files.quizzes if kind == Kind.QUIZ else self.files.modules)
            out.append(ItemSummary(kind=kind, item_id=item_id, title=title, status=status,
                                   published_version=model.version if model else None, built_in=built_in,
                                   draft=draft))
        return sorted(out, key=lambda s: (s.kind != Kind.MODULE, s.title.lower(), s.item_id))

    def draft(self, actor: User | None, kind: Kind, item_id: str) -> Draft | None:
        """The item's open draft, if any."""
        require_role(actor, *AUTHOR_ROLES)
        draft = self._load(kind, item_id)
        return draft if draft is not None and draft.is_open else None

    def review_queue(self, actor: User | None) -> list[Draft]:
        require_role(actor, *AUTHOR_ROLES)
        waiting = [d for d in self._drafts() if d.status == DraftStatus.REVIEW]
        return sorted(waiting, key=lambda d: d.submitted_at or d.updated_at)

    def known_quizzes(self, actor: User | None, *, with_drafts: bool = True) -> set[str]:
        """Scenario ids a module may use: published ones (and open drafts while editing)."""
        require_role(actor, *AUTHOR_ROLES)
        return self._known_quizzes(self._catalog(), with_drafts=with_drafts)

    def check(self, actor: User | None, draft: Draft) -> tuple[Module | Quiz | None, list[Problem]]:
        require_role(actor, *AUTHOR_ROLES)
        if draft.language:
            return self.check_translation(draft)
        known = self._known_quizzes(self._catalog(), with_drafts=True) if draft.kind == Kind.MODULE else None
        return check_files(draft.kind, draft.item_id, draft.files, known)

    def published_files(self, actor: User | None, kind: Kind, item_id: str) -> Files | None:
        require_role(actor, *AUTHOR_ROLES)
        return self._current_files(kind, item_id)

    def published_quiz(self, actor: User | None, quiz_id: str) -> Quiz | None:
        """A published scenario (for previewing a module that uses it)."""
        require_role(actor, *AUTHOR_ROLES)
        return self._catalog().quizzes.get(quiz_id)

    def base_changed(self, actor: User | None, draft: Draft) -> bool:
        """Has what learners see changed since the draft was started (so approving it would undo that)?"""
        require_role(actor, *AUTHOR_ROLES)
        if draft.language:  # a translation translates one bokmål version
            model = self._published_model(draft.kind, draft.item_id)
            return model is None or model.version != draft.base_version
        current = self._current_files(draft.kind, draft.item_id)
        if draft.base_digest is None:
            return current is not None  # someone published this id after the draft was created
        return current is None or digest(current) != draft.base_digest

    def changes(self, actor: User | None, draft: Draft) -> str:
        """The draft's text changes against what learners see now (unified diff)."""
        require_role(actor, *AUTHOR_ROLES)
        return files_diff(self._current_files(draft.kind, draft.item_id) or {}, draft.files)

    def history(self, actor: User | None, kind: Kind, item_id: str) -> list[HistoryEntry]:
        """Published versions, newest first, each with its text changes."""
        require_role(actor, *AUTHOR_ROLES)
        timeline: list[tuple[int, bool, PublishedVersion | None, Files]] = []
        built_in = (self.files.quizzes if kind == Kind.QUIZ else self.files.modules).get(item_id)
        if built_in is not None:
            timeline.append((built_in.version, True, None, files_on_disk(self.content_root, kind, built_in)))
        for published in all_versions(self.repo):
            if published.kind == kind and published.item_id == item_id:
                timeline.append((published.version, False, published, published.files))
        timeline.sort(key=lambda entry: (entry[0], entry[1]))
        out: list[HistoryEntry] = []
        previous: Files = {}
        for number, is_built_in, version, files in timeline:
            withdrawn = bool(version and version.withdrawn)
            out.append(HistoryEntry(
                version=number, built_in=is_built_in, published_at=version.published_at if version else None,
                published_by=version.approved_by_name if version else "",
                submitted_by=version.submitted_by_name if version else "",
                provenance=version.provenance if version else "",
                diff="" if (is_built_in and not previous) or withdrawn else files_diff(previous, files),
                withdrawn=withdrawn, raised_by_quiz=version.raised_by_quiz if version else None,
                old_files=dict(previous) if previous else None, files=dict(files)))
            if not withdrawn:
                previous = files
        return list(reversed(out))


def _title(files: Files, kind: Kind, item_id: str) -> str:
    title = load_data(files.get(main_path(kind, item_id), "")).get("title")
    return title if isinstance(title, str) and title.strip() else item_id
