"""Workflow: create, save, send to review, send back, approve (publish) and discard.

    draft --submit--> review --approve (another author)--> immutable published version
      ^                  |
      +---send back------+  (with a comment)
"""

from __future__ import annotations

from collections.abc import Callable

from learning.content.bundle import (
    MAX_DRAFT_CHARS,
    SLUG,
    Files,
    Kind,
    digest,
    files_size,
    load_data,
    main_path,
    set_version,
)
from learning.content.models import Module, Quiz
from learning.content.problems import Problem
from learning.errors import UserError
from learning.records import AuditAction, User
from learning.services.audit import record
from learning.services.authoring.base import AuthoringBase, on_open_draft
from learning.services.authoring.drafts import (
    AUTHOR_ROLES,
    DRAFTS,
    MAX_COMMENT,
    MAX_PROVENANCE,
    MAX_TITLE,
    MIN_PROVENANCE,
    NEW_LESSON_ID,
    Draft,
    DraftAction,
    DraftStatus,
)
from learning.services.authoring.files import check_files, module_files, new_module_meta, new_quiz_data, quiz_files
from learning.services.authz import require_role
from learning.services.published import (
    VERSIONS,
    PublishedTranslation,
    PublishedVersion,
    ReviewComment,
)


def _note(text: str, missing_key: str) -> str:
    """The note sent with a request for review (what it builds on, why withdraw): trimmed, long enough."""
    text = text.strip()
    if len(text) < MIN_PROVENANCE:
        raise UserError(missing_key, min=MIN_PROVENANCE)
    if len(text) > MAX_PROVENANCE:
        raise UserError("author.provenance_too_long", max=MAX_PROVENANCE)
    return text


def _new_version(version: PublishedVersion) -> Callable[[dict | None], dict]:
    """The write of a new published version: versions are immutable, so one already there is a race lost."""
    def write(doc: dict | None) -> dict:
        if doc is not None:
            raise UserError("author.stale")
        return version.model_dump(mode="json")
    return write


class Workflow(AuthoringBase):
    check: Callable[[User | None, Draft], tuple[Module | Quiz | None, list[Problem]]]  # from Reading, in the service
    _current_translation: Callable[[Draft], Files | None]  # from Translating, in the service
    _approve_translation: Callable[[User, Draft], PublishedTranslation]

    # --- writing -------------------------------------------------------------
    def create(self, actor: User | None, kind: Kind, item_id: str, title: str) -> Draft:
        """A new module or scenario from a template (it does not validate until filled in)."""
        actor = require_role(actor, *AUTHOR_ROLES)
        item_id, title = item_id.strip(), title.strip()
        if not SLUG.match(item_id) or len(item_id) > 60:
            raise UserError("author.bad_slug")
        if not title or len(title) > MAX_TITLE:
            raise UserError("author.title_required", max=MAX_TITLE)
        if self._published_model(kind, item_id) is not None:
            raise UserError("author.exists", id=item_id)
        if kind == Kind.QUIZ:
            files = quiz_files(item_id, new_quiz_data(item_id, title))
        else:
            files = module_files(item_id, new_module_meta(item_id, title), [{"id": NEW_LESSON_ID, "title": "",
                                                                              "body": ""}], None)
        return self._start(actor, kind, item_id, files, base_version=None, editors=[actor.id])

    def edit(self, actor: User | None, kind: Kind, item_id: str) -> Draft:
        """The item's open draft, or a new draft copied from what learners see now."""
        actor = require_role(actor, *AUTHOR_ROLES)
        existing = self._load(kind, item_id)
        if existing is not None and existing.is_open:
            return existing
        catalog = self._catalog()
        model = self._published_model(kind, item_id, catalog)
        files = self._current_files(kind, item_id, catalog)
        if model is None or files is None:
            raise UserError("author.not_found")
        return self._start(actor, kind, item_id, files, base_version=model.version, editors=[],
                           base_digest=digest(files))

    def save(self, actor: User | None, kind: Kind, item_id: str, files: Files,
             expected_revision: int | None = None, *, language: str | None = None) -> tuple[Draft, list[Problem]]:
        """Store the draft's files even when they do not validate; return its problems."""
        actor = require_role(actor, *AUTHOR_ROLES)
        if files_size(files) > MAX_DRAFT_CHARS:
            raise UserError("author.too_large", limit=MAX_DRAFT_CHARS)

        def change(draft: Draft) -> Draft:
            if draft.status == DraftStatus.REVIEW:
                raise UserError("author.in_review")
            self._expect(draft, expected_revision)
            if draft.files == files:
                return draft
            editors = draft.editors if actor.id in draft.editors else [*draft.editors, actor.id]
            return draft.model_copy(update={"files": dict(files), "revision": draft.revision + 1,
                                            "editors": editors, **self._stamp(actor)})

        draft = self._change(kind, item_id, change, language)
        return draft, self.check(actor, draft)[1]

    def save_quiz(self, actor: User | None, item_id: str, data: dict,
                  expected_revision: int | None = None) -> tuple[Draft, list[Problem]]:
        """Save a scenario from the editor's fields (the YAML is written from them)."""
        require_role(actor, *AUTHOR_ROLES)
        draft = self._open(Kind.QUIZ, item_id)
        return self.save(actor, Kind.QUIZ, item_id, quiz_files(item_id, data, draft.files), expected_revision)

    def save_module(self, actor: User | None, item_id: str, meta: dict, lessons: list[dict], guide: str | None,
                    expected_revision: int | None = None) -> tuple[Draft, list[Problem]]:
        """Save a module from the editor: metadata fields, lessons (id, title, body) and guide."""
        require_role(actor, *AUTHOR_ROLES)
        draft = self._open(Kind.MODULE, item_id)
        files = module_files(item_id, meta, lessons, guide, draft.files)
        return self.save(actor, Kind.MODULE, item_id, files, expected_revision)

    def submit(self, actor: User | None, kind: Kind, item_id: str, provenance: str,
               expected_revision: int | None = None, *, language: str | None = None) -> Draft:
        """Send the draft to review; it must validate and say what it builds on."""
        actor = require_role(actor, *AUTHOR_ROLES)
        provenance = _note(provenance, "author.provenance_required")
        draft = self._open(kind, item_id, language)
        if self.check(actor, draft)[1]:
            raise UserError("author.has_problems")
        current = self._current_translation(draft) if language else self._current_files(kind, item_id)
        if draft.files == current:
            raise UserError("author.no_changes")

        def change(current: Draft) -> Draft:
            if current.status != DraftStatus.DRAFT:
                raise UserError("author.in_review")
            self._expect(current, expected_revision)
            if current.files != draft.files:
                raise UserError("author.stale")
            return current.model_copy(update={
                "status": DraftStatus.REVIEW, "provenance": provenance, "submitted_by": actor.id,
                "submitted_by_name": actor.name, "submitted_at": self.clock(), "revision": current.revision + 1,
                **self._stamp(actor)})

        return self._change(kind, item_id, change, language)

    def withdraw(self, actor: User | None, kind: Kind, item_id: str, *, language: str | None = None) -> Draft:
        """Take a draft back from review to change it."""
        actor = require_role(actor, *AUTHOR_ROLES)

        def change(draft: Draft) -> Draft:
            if draft.status != DraftStatus.REVIEW:
                raise UserError("author.not_in_review")
            status = DraftStatus.DISCARDED if draft.action == DraftAction.WITHDRAW else DraftStatus.DRAFT
            return draft.model_copy(update={"status": status, "revision": draft.revision + 1, **self._stamp(actor)})

        return self._change(kind, item_id, change, language)

    def send_back(self, actor: User | None, kind: Kind, item_id: str, comment: str,
                  expected_revision: int | None = None, *, language: str | None = None) -> Draft:
        """A reviewer returns the draft to its author with a comment."""
        actor = require_role(actor, *AUTHOR_ROLES)
        comment = comment.strip()
        if not comment:
            raise UserError("author.comment_required")
        if len(comment) > MAX_COMMENT:
            raise UserError("author.comment_too_long", max=MAX_COMMENT)

        def change(draft: Draft) -> Draft:
            if draft.status != DraftStatus.REVIEW:
                raise UserError("author.not_in_review")
            self._expect(draft, expected_revision)
            self._may_review(actor, draft)
            note = ReviewComment(by=actor.id, by_name=actor.name, at=self.clock(), text=comment)
            return draft.model_copy(update={"status": DraftStatus.DRAFT, "comments": [*draft.comments, note],
                                            "revision": draft.revision + 1, **self._stamp(actor)})

        return self._change(kind, item_id, change, language)

    def approve(self, actor: User | None, kind: Kind, item_id: str,
                expected_revision: int | None = None, *,
                language: str | None = None) -> PublishedVersion | PublishedTranslation:
        """Another author approves: the draft becomes a new immutable published version (or translation)."""
        actor = require_role(actor, *AUTHOR_ROLES)
        draft = self._open(kind, item_id, language)
        if draft.status != DraftStatus.REVIEW:
            raise UserError("author.not_in_review")
        self._expect(draft, expected_revision)
        self._may_review(actor, draft)
        if language:
            return self._approve_translation(actor, draft)
        catalog = self._catalog()
        withdraw = draft.action == DraftAction.WITHDRAW
        if withdraw:
            self._may_withdraw(kind, item_id, catalog)
        model, problems = check_files(kind, item_id, draft.files, self._known_quizzes(catalog, with_drafts=False))
        if model is None:
            quiz_id = load_data(draft.files.get(main_path(kind, item_id), "")).get("quiz")
            if kind == Kind.MODULE and quiz_id and quiz_id not in catalog.quizzes:
                raise UserError("author.quiz_not_published", quiz=quiz_id)
            raise UserError("author.has_problems")
        number = self._next_version(kind, item_id)
        files = dict(draft.files)
        path = main_path(kind, item_id)
        files[path] = set_version(files[path], number)
        model, problems = check_files(kind, item_id, files, self._known_quizzes(catalog, with_drafts=False))
        if model is None or model.version != number:  # pragma: no cover - set_version keeps the YAML valid
            raise UserError("author.has_problems")
        now = self.clock()

        def claim(current: Draft) -> Draft:
            if current.status != DraftStatus.REVIEW or current.revision != draft.revision:
                raise UserError("author.stale")
            return current.model_copy(update={"status": DraftStatus.PUBLISHED, "published_version": number,
                                              "revision": current.revision + 1, **self._stamp(actor)})

        version = PublishedVersion(
            kind=kind, item_id=item_id, version=number, files=files, digest=digest(files),
            provenance=draft.provenance, submitted_by=draft.submitted_by or draft.updated_by,
            submitted_by_name=draft.submitted_by_name, approved_by=actor.id, approved_by_name=actor.name,
            published_at=now, comments=draft.comments, withdrawn=withdraw)

        raised = self._modules_raised_by(actor, version, catalog) if kind == Kind.QUIZ and not withdraw else []
        # One unit of work: the draft closed, its version and the module versions it raises, or none of them.
        self.repo.update_docs({(DRAFTS, draft.key): on_open_draft(claim),
                               **{(VERSIONS, v.key): _new_version(v) for v in [version, *raised]}})
        record(self.repo, actor, AuditAction.CONTENT_PUBLISHED, at=now, target=f"{kind.value}:{item_id}",
               version=number, submitted_by=version.submitted_by, withdrawn=withdraw)
        for module in raised:
            record(self.repo, actor, AuditAction.CONTENT_PUBLISHED, at=module.published_at,
                   target=f"{Kind.MODULE.value}:{module.item_id}", version=module.version,
                   submitted_by=module.submitted_by)
        return version

    def _modules_raised_by(self, actor: User, quiz: PublishedVersion, catalog) -> list[PublishedVersion]:
        """A new scenario version is a new version of each module that uses it (same files, next number),
        so «completed version N» of a module always names the scenario that was taken."""
        raised = []
        for module in sorted(catalog.modules.values(), key=lambda m: m.id):
            if module.meta.quiz != quiz.item_id or self._published_model(Kind.QUIZ, quiz.item_id, catalog) is None:
                continue
            files = self._current_files(Kind.MODULE, module.id, catalog)
            if files is None:  # pragma: no cover - every module in the catalog has files
                continue
            number = self._next_version(Kind.MODULE, module.id)
            path = main_path(Kind.MODULE, module.id)
            files[path] = set_version(files[path], number)
            version = PublishedVersion(
                kind=Kind.MODULE, item_id=module.id, version=number, files=files, digest=digest(files),
                provenance=quiz.provenance, submitted_by=quiz.submitted_by,
                submitted_by_name=quiz.submitted_by_name, approved_by=actor.id, approved_by_name=actor.name,
                published_at=quiz.published_at, raised_by_quiz=quiz.version)
            raised.append(version)
        return raised

    def _may_withdraw(self, kind: Kind, item_id: str, catalog) -> None:
        """Learners must not lose a scenario a module they see still uses."""
        if self._published_model(kind, item_id, catalog) is None:
            raise UserError("author.not_found")
        if kind == Kind.QUIZ:
            users = sorted(m.meta.title for m in catalog.modules.values() if m.meta.quiz == item_id)
            if users:
                raise UserError("lifecycle.quiz_in_use", modules=", ".join(users))

    # --- lifecycle: withdraw from learners, go back to an earlier version ------------------
    def request_withdrawal(self, actor: User | None, kind: Kind, item_id: str, reason: str) -> Draft:
        """Ask to take a published item away from learners; another author must approve, as for publishing."""
        actor = require_role(actor, *AUTHOR_ROLES)
        reason = _note(reason, "lifecycle.reason_required")
        catalog = self._catalog()
        self._may_withdraw(kind, item_id, catalog)
        files = self._current_files(kind, item_id, catalog)
        model = self._published_model(kind, item_id, catalog)
        if model is None or files is None:  # pragma: no cover - _may_withdraw checked it is published
            raise UserError("author.not_found")
        self._start(actor, kind, item_id, files, base_version=model.version, editors=[actor.id],
                    base_digest=digest(files))
        now = self.clock()

        def ask(current: Draft) -> Draft:
            return current.model_copy(update={
                "status": DraftStatus.REVIEW, "action": DraftAction.WITHDRAW, "provenance": reason,
                "submitted_by": actor.id, "submitted_by_name": actor.name, "submitted_at": now,
                "revision": current.revision + 1, **self._stamp(actor)})

        return self._change(kind, item_id, ask)

    def restore(self, actor: User | None, kind: Kind, item_id: str, version: int) -> Draft:
        """A draft holding an earlier version's files, to send to review like any change."""
        actor = require_role(actor, *AUTHOR_ROLES)
        earlier = self._version_files(kind, item_id, version)
        if earlier is None:
            raise UserError("author.not_found")
        catalog = self._catalog()
        model = self._published_model(kind, item_id, catalog)
        current = self._current_files(kind, item_id, catalog)
        if current is not None and earlier == current:
            raise UserError("author.no_changes")
        self._start(actor, kind, item_id, earlier, base_version=model.version if model else None,
                    editors=[actor.id], base_digest=digest(current) if current else None)
        return self._change(kind, item_id, lambda d: d.model_copy(update={"restored_from": version}))

    def discard(self, actor: User | None, kind: Kind, item_id: str, *, language: str | None = None) -> Draft:
        """Throw away a draft that is not in review; published versions stay."""
        actor = require_role(actor, *AUTHOR_ROLES)

        def change(draft: Draft) -> Draft:
            if draft.status == DraftStatus.REVIEW:
                raise UserError("author.in_review")
            return draft.model_copy(update={"status": DraftStatus.DISCARDED, "revision": draft.revision + 1,
                                            **self._stamp(actor)})

        return self._change(kind, item_id, change, language)
