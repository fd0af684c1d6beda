"""Transfer: export an item as repository files (zip) and import such a zip as drafts."""

from __future__ import annotations

from learning.content.bundle import (
    Files,
    Kind,
    check_quiz,
    digest,
    main_path,
    pack_zip,
    split_items,
    unpack_zip,
)
from learning.content.models import Module
from learning.content.problems import ContentError, Problem
from learning.errors import UserError
from learning.records import User
from learning.services.authoring.base import AuthoringBase
from learning.services.authoring.drafts import (
    AUTHOR_ROLES,
    DRAFTS,
    Draft,
)
from learning.services.authoring.files import check_files
from learning.services.authz import require_role


class Transfer(AuthoringBase):
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
            current = self._current_files(kind, item_id, catalog)
            if current is None:
                raise UserError("author.not_found")
            files = current
            model = self._published_model(kind, item_id, catalog)
        if isinstance(model, Module) and model.meta.quiz:
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
        open_drafts = {(d.kind, d.item_id) for d in self._drafts() if d.is_open and not d.language}
        problems: list[Problem] = []
        for (kind, item_id), files in sorted(items.items()):
            problems += check_files(kind, item_id, files, known)[1]
            if (kind, item_id) in open_drafts:
                problems.append(Problem(main_path(kind, item_id), None, "draft_exists", {"id": item_id}))
        if problems:
            raise ContentError(sorted(set(problems), key=Problem.sort_key))
        starts = []
        for (kind, item_id), files in sorted(items.items()):
            model = self._published_model(kind, item_id, catalog)
            base = self._current_files(kind, item_id, catalog)
            starts.append(self._starting(actor, kind, item_id, files, base_version=model.version if model else None,
                                         editors=[actor.id], base_digest=digest(base) if base else None))
        written = self.repo.update_docs({(DRAFTS, draft.key): apply for draft, apply in starts})  # all or none
        return [Draft.model_validate(written[(DRAFTS, draft.key)]) for draft, _ in starts]
