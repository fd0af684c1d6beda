"""Authoring: write, review and publish modules and scenarios in the app (no Streamlit).

A draft is the item's files (``modules/<id>/...`` or ``quizzes/<id>.yaml``) in the
store, so the same loader that checks the repository checks it. Workflow:

    draft --submit--> review --approve (another author)--> immutable published version
      ^                  |
      +---send back------+  (with a comment)

Drafts that do not validate are saved anyway (nothing typed is lost); they cannot be
submitted or approved. Every method takes the acting user and checks the role; this
service reads and writes only the authoring collections, never users or progress.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from learning.clock import Clock, utc_now
from learning.content.bundle import (
    MAX_DRAFT_CHARS,
    SLUG,
    Files,
    Kind,
    check_module,
    check_quiz,
    digest,
    files_diff,
    files_on_disk,
    files_size,
    keep_text_if_same,
    load_data,
    main_path,
    module_folder,
    pack_zip,
    quiz_path,
    set_version,
    split_items,
    unpack_zip,
)
from learning.content.catalog import ContentCatalog
from learning.content.loader import MODULE_FILE
from learning.content.models import Choice, Module, ModuleMeta, Quiz, Step
from learning.content.problems import ContentError, Problem
from learning.errors import UserError
from learning.records import AuditAction, Role, User
from learning.services.audit import record
from learning.services.authz import require_role
from learning.services.published import (
    VERSIONS,
    PublishedVersion,
    ReviewComment,
    all_versions,
    effective_catalog,
    version_key,
)
from learning.storage.repository import Repository

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

    @property
    def key(self) -> str:
        return draft_key(self.kind, self.item_id)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def title(self) -> str:
        title = load_data(self.files.get(main_path(self.kind, self.item_id), "")).get("title")
        return title if isinstance(title, str) and title.strip() else self.item_id


def draft_key(kind: Kind, item_id: str) -> str:
    return f"{kind.value}:{item_id}"


class ItemStatus(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"


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


# --- building files from editor fields (pure; the editor and the service share them) ----
QUIZ_ORDER = list(Quiz.model_fields)
STEP_ORDER = list(Step.model_fields)
CHOICE_ORDER = list(Choice.model_fields)
META_ORDER = list(ModuleMeta.model_fields)


def _ordered(data: dict, order: list[str]) -> dict:
    """Keys in the order of the file format (unknown keys last, for the validator to report)."""
    return {**{k: data[k] for k in order if k in data}, **{k: v for k, v in data.items() if k not in order}}


def ordered_quiz(data: dict) -> dict:
    out = _ordered(data, QUIZ_ORDER)
    if isinstance(out.get("steps"), list):
        out["steps"] = [_ordered_step(step) for step in out["steps"]]
    return out


def _ordered_step(step: object) -> object:
    if not isinstance(step, dict):
        return step
    step = _ordered(step, STEP_ORDER)
    if isinstance(step.get("choices"), list):
        step["choices"] = [_ordered(c, CHOICE_ORDER) if isinstance(c, dict) else c for c in step["choices"]]
    return step


def quiz_files(item_id: str, data: dict, old: Files | None = None) -> Files:
    path = quiz_path(item_id)
    return {path: keep_text_if_same((old or {}).get(path), ordered_quiz(data))}


def module_files(item_id: str, meta: dict, lessons: list[dict], guide: str | None,
                 old: Files | None = None) -> Files:
    """module.yaml from ``meta`` plus one ``<lesson-id>.md`` per lesson and the guide.

    Raises UserError when two lessons (or a lesson and the guide) would share a file,
    since one text would overwrite the other.
    """
    folder = module_folder(item_id)
    old = old or {}
    meta = dict(meta)
    meta["lessons"] = [{"id": lesson.get("id", ""), "title": lesson.get("title", "")} for lesson in lessons]
    guide_file = meta.get("guide") if isinstance(meta.get("guide"), str) and meta.get("guide") else "guide.md"
    if guide is not None and guide.strip():
        meta["guide"] = guide_file
    else:
        meta.pop("guide", None)
    meta_path = f"{folder}/{MODULE_FILE}"
    files = {meta_path: keep_text_if_same(old.get(meta_path), _ordered(meta, META_ORDER))}
    for lesson in lessons:
        path = f"{folder}/{lesson.get('id', '')}.md"
        if path in files:
            raise UserError("author.duplicate_lesson", id=lesson.get("id", ""))
        files[path] = lesson.get("body", "")
    if "guide" in meta:
        path = f"{folder}/{guide_file}"
        if path in files:
            raise UserError("author.duplicate_lesson", id=guide_file.removesuffix(".md"))
        files[path] = guide
    return files


def check_files(kind: Kind, item_id: str, files: Files,
                known_quizzes: set[str] | None = None) -> tuple[Module | Quiz | None, list[Problem]]:
    """Validate with the same rules as content files in the repository."""
    if kind == Kind.QUIZ:
        return check_quiz(files, item_id)
    return check_module(files, item_id, known_quizzes)


def new_quiz_data(item_id: str, title: str) -> dict:
    choice = {"text": "", "feedback": "", "points": 0}
    return {"id": item_id, "title": title, "intro": "", "version": 1, "pass_percent": 70,
            "steps": [{"id": "start", "text": "", "choices": [dict(choice), dict(choice)]}]}


def new_module_meta(item_id: str, title: str) -> dict:
    return {"id": item_id, "title": title, "description": "", "service_areas": ["alle"], "minutes": 15,
            "version": 1, "lessons": [{"id": NEW_LESSON_ID, "title": ""}], "sources": ""}


class AuthoringService:
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

    def _load(self, kind: Kind, item_id: str) -> Draft | None:
        doc = self.repo.get_doc(DRAFTS, draft_key(kind, item_id))
        return Draft.model_validate(doc) if doc else None

    def _open(self, kind: Kind, item_id: str) -> Draft:
        draft = self._load(kind, item_id)
        if draft is None or not draft.is_open:
            raise UserError("author.draft_not_found")
        return draft

    def _change(self, kind: Kind, item_id: str, change: Callable[[Draft], Draft]) -> Draft:
        """Read-modify-write one open draft under the store's lock."""
        def apply(doc: dict | None) -> dict:
            current = Draft.model_validate(doc) if doc else None
            if current is None or not current.is_open:
                raise UserError("author.draft_not_found")
            return change(current).model_dump(mode="json")

        return Draft.model_validate(self.repo.update_doc(DRAFTS, draft_key(kind, item_id), apply))

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

    def _known_quizzes(self, catalog: ContentCatalog, *, with_drafts: bool) -> set[str]:
        known = set(catalog.quizzes)
        if with_drafts:
            known |= {d.item_id for d in self._drafts() if d.kind == Kind.QUIZ and d.is_open}
        return known

    @staticmethod
    def _may_review(actor: User, draft: Draft) -> None:
        if actor.id in draft.editors or actor.id == draft.submitted_by:
            raise UserError("author.own_draft")

    def _next_version(self, kind: Kind, item_id: str) -> int:
        built_in = (self.files.quizzes if kind == Kind.QUIZ else self.files.modules).get(item_id)
        numbers = [built_in.version] if built_in else []
        numbers += [v.version for v in all_versions(self.repo) if v.kind == kind and v.item_id == item_id]
        return max(numbers, default=0) + 1

    # --- reading -------------------------------------------------------------
    def items(self, actor: User | None) -> list[ItemSummary]:
        """Every module and scenario: built-in, published by authors, or drafted."""
        require_role(actor, *AUTHOR_ROLES)
        catalog = self._catalog()
        drafts = {(d.kind, d.item_id): d for d in self._drafts() if d.is_open}
        keys = {(Kind.MODULE, i) for i in catalog.modules} | {(Kind.QUIZ, i) for i in catalog.quizzes} | set(drafts)
        out = []
        for kind, item_id in keys:
            model = self._published_model(kind, item_id, catalog)
            draft = drafts.get((kind, item_id))
            if draft is not None:
                status = ItemStatus.REVIEW if draft.status == DraftStatus.REVIEW else ItemStatus.DRAFT
                title = draft.title
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
        for version in all_versions(self.repo):
            if version.kind == kind and version.item_id == item_id:
                timeline.append((version.version, False, version, version.files))
        timeline.sort(key=lambda entry: (entry[0], entry[1]))
        out: list[HistoryEntry] = []
        previous: Files = {}
        for number, is_built_in, version, files in timeline:
            out.append(HistoryEntry(
                version=number, built_in=is_built_in, published_at=version.published_at if version else None,
                published_by=version.approved_by_name if version else "",
                submitted_by=version.submitted_by_name if version else "",
                provenance=version.provenance if version else "",
                diff="" if is_built_in and not previous else files_diff(previous, files)))
            previous = files
        return list(reversed(out))

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

    def _start(self, actor: User, kind: Kind, item_id: str, files: Files, *, base_version: int | None,
               editors: list[str], base_digest: str | None = None) -> Draft:
        now = self.clock()
        draft = Draft(kind=kind, item_id=item_id, files=files, base_version=base_version, base_digest=base_digest,
                      created_by=actor.id,
                      created_by_name=actor.name, created_at=now, updated_by=actor.id, updated_by_name=actor.name,
                      updated_at=now, editors=editors)

        def apply(doc: dict | None) -> dict:
            if doc is not None and Draft.model_validate(doc).is_open:
                raise UserError("author.draft_open", id=item_id)
            return draft.model_dump(mode="json")

        return Draft.model_validate(self.repo.update_doc(DRAFTS, draft.key, apply))

    def save(self, actor: User | None, kind: Kind, item_id: str, files: Files,
             expected_revision: int | None = None) -> tuple[Draft, list[Problem]]:
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

        draft = self._change(kind, item_id, change)
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
               expected_revision: int | None = None) -> Draft:
        """Send the draft to review; it must validate and say what it builds on."""
        actor = require_role(actor, *AUTHOR_ROLES)
        provenance = provenance.strip()
        if len(provenance) < MIN_PROVENANCE:
            raise UserError("author.provenance_required", min=MIN_PROVENANCE)
        if len(provenance) > MAX_PROVENANCE:
            raise UserError("author.provenance_too_long", max=MAX_PROVENANCE)
        draft = self._open(kind, item_id)
        if self.check(actor, draft)[1]:
            raise UserError("author.has_problems")
        if draft.files == self._current_files(kind, item_id):
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

        return self._change(kind, item_id, change)

    def withdraw(self, actor: User | None, kind: Kind, item_id: str) -> Draft:
        """Take a draft back from review to change it."""
        actor = require_role(actor, *AUTHOR_ROLES)

        def change(draft: Draft) -> Draft:
            if draft.status != DraftStatus.REVIEW:
                raise UserError("author.not_in_review")
            return draft.model_copy(update={"status": DraftStatus.DRAFT, "revision": draft.revision + 1,
                                            **self._stamp(actor)})

        return self._change(kind, item_id, change)

    def send_back(self, actor: User | None, kind: Kind, item_id: str, comment: str,
                  expected_revision: int | None = None) -> Draft:
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

        return self._change(kind, item_id, change)

    def approve(self, actor: User | None, kind: Kind, item_id: str,
                expected_revision: int | None = None) -> PublishedVersion:
        """Another author approves: the draft becomes a new immutable published version."""
        actor = require_role(actor, *AUTHOR_ROLES)
        draft = self._open(kind, item_id)
        if draft.status != DraftStatus.REVIEW:
            raise UserError("author.not_in_review")
        self._expect(draft, expected_revision)
        self._may_review(actor, draft)
        catalog = self._catalog()
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

        self._change(kind, item_id, claim)
        version = PublishedVersion(
            kind=kind, item_id=item_id, version=number, files=files, digest=digest(files),
            provenance=draft.provenance, submitted_by=draft.submitted_by or draft.updated_by,
            submitted_by_name=draft.submitted_by_name, approved_by=actor.id, approved_by_name=actor.name,
            published_at=now, comments=draft.comments)

        def write(doc: dict | None) -> dict:
            if doc is not None:
                raise UserError("author.stale")  # versions are immutable
            return version.model_dump(mode="json")

        try:
            self.repo.update_doc(VERSIONS, version_key(kind, item_id, number), write)
        except BaseException:
            self.repo.update_doc(DRAFTS, draft.key, lambda _: draft.model_dump(mode="json"))
            raise
        record(self.repo, actor, AuditAction.CONTENT_PUBLISHED, at=now, target=f"{kind.value}:{item_id}",
               version=number, submitted_by=version.submitted_by)
        return version

    def discard(self, actor: User | None, kind: Kind, item_id: str) -> Draft:
        """Throw away a draft that is not in review; published versions stay."""
        actor = require_role(actor, *AUTHOR_ROLES)

        def change(draft: Draft) -> Draft:
            if draft.status == DraftStatus.REVIEW:
                raise UserError("author.in_review")
            return draft.model_copy(update={"status": DraftStatus.DISCARDED, "revision": draft.revision + 1,
                                            **self._stamp(actor)})

        return self._change(kind, item_id, change)

    # --- export and import ----------------------------------------------------
    def export_files(self, actor: User | None, kind: Kind, item_id: str, *, draft: bool = False) -> Files:
        """The item as repository files; a module comes with its scenario's file."""
        require_role(actor, *AUTHOR_ROLES)
        catalog = self._catalog()
        if draft:
            found = self._open(kind, item_id)
            model, _ = check_files(kind, item_id, found.files, self._known_quizzes(catalog, with_drafts=True))
            if model is None:
                raise UserError("author.has_problems")
            files = dict(found.files)
        else:
            files = self._current_files(kind, item_id, catalog)
            if files is None:
                raise UserError("author.not_found")
            model = self._published_model(kind, item_id, catalog)
        if kind == Kind.MODULE and model.meta.quiz:
            quiz_draft = self._load(Kind.QUIZ, model.meta.quiz) if draft else None
            if quiz_draft is not None and quiz_draft.is_open and check_quiz(quiz_draft.files, quiz_draft.item_id)[0]:
                files.update(quiz_draft.files)
            else:
                files.update(self._current_files(Kind.QUIZ, model.meta.quiz, catalog) or {})
        return files

    def export_zip(self, actor: User | None, kind: Kind, item_id: str, *, draft: bool = False) -> bytes:
        return pack_zip(self.export_files(actor, kind, item_id, draft=draft))

    def import_zip(self, actor: User | None, payload: bytes, filename: str) -> list[Draft]:
        """Files from a zip become drafts: all of them, or none when anything is wrong.

        Raises ContentError with a ``path:line: message`` problem for each thing wrong.
        """
        actor = require_role(actor, *AUTHOR_ROLES)
        items = split_items(unpack_zip(payload, filename))
        catalog = self._catalog()
        known = self._known_quizzes(catalog, with_drafts=True) | {i for k, i in items if k == Kind.QUIZ}
        open_drafts = {(d.kind, d.item_id) for d in self._drafts() if d.is_open}
        problems: list[Problem] = []
        for (kind, item_id), files in sorted(items.items()):
            problems += check_files(kind, item_id, files, known)[1]
            if (kind, item_id) in open_drafts:
                problems.append(Problem(main_path(kind, item_id), None,
                                        f"det finnes allerede et utkast for «{item_id}»; send det videre "
                                        "eller forkast det før du importerer"))
        if problems:
            raise ContentError(sorted(set(problems), key=lambda p: (p.path, p.line or 0, p.message)))
        written: list[tuple[str, dict | None]] = []
        drafts: list[Draft] = []
        try:
            for (kind, item_id), files in sorted(items.items()):
                model = self._published_model(kind, item_id, catalog)
                base = self._current_files(kind, item_id, catalog)
                written.append((draft_key(kind, item_id), self.repo.get_doc(DRAFTS, draft_key(kind, item_id))))
                drafts.append(self._start(actor, kind, item_id, files, base_version=model.version if model else None,
                                          editors=[actor.id], base_digest=digest(base) if base else None))
        except BaseException:
            self._roll_back(written)
            raise
        return drafts

    def _roll_back(self, written: list[tuple[str, dict | None]]) -> None:
        """Undo drafts an import already wrote (a draft that did not exist becomes discarded)."""
        for key, before in written:
            current = self.repo.get_doc(DRAFTS, key)
            if current is None:
                continue
            restored = before if before is not None else {**current, "status": DraftStatus.DISCARDED.value}
            self.repo.update_doc(DRAFTS, key, lambda _, doc=restored: doc)
