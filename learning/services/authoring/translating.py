"""Translations written in the app: nynorsk and English twins of a module or scenario.

A translation is a draft with a ``language`` whose files are twin files only
(``content/translation_files.py``). The author edits texts; the structure (ids, order,
points, next, critical, tags, version) is copied from the bokmål version learners see on
every save, so a translation cannot change how a module is scored or followed. It goes
through the same review as any draft; approval writes an immutable ``PublishedTranslation``
for the bokmål version it translates, and learners see it only with that version
(``translations.translation_fits``; the effective catalog applies it in ``published.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from learning.content.bundle import Files, Kind, digest, files_diff, module_folder, quiz_path
from learning.content.catalog import ContentCatalog
from learning.content.models import Module, Quiz
from learning.content.problems import Problem
from learning.content.translation_files import (
    learner_view,
    texts_from_files,
    translation_files,
)
from learning.content.translations import (
    TRANSLATED_LANGUAGES,
    localize_quiz,
    split_language,
    translation_fits,
)
from learning.errors import UserError
from learning.records import AuditAction, User
from learning.services.audit import record
from learning.services.authoring.base import AuthoringBase, on_open_draft
from learning.services.authoring.drafts import AUTHOR_ROLES, DRAFTS, Draft, DraftStatus
from learning.services.authz import require_role
from learning.services.published import (
    TRANSLATIONS,
    PublishedTranslation,
    latest_translations,
    translations_from,
)


class TranslationState(StrEnum):
    PRESENT = "present"        # translates the version learners see
    OUT_OF_DATE = "outdated"   # translates an older version: learners see bokmål until it is brought up to date
    MISSING = "missing"        # no translation


@dataclass(frozen=True)
class TranslationStatus:
    """One item in one language, for the author's list."""

    kind: Kind
    item_id: str
    title: str
    language: str
    state: TranslationState
    source_version: int
    translated_version: int | None
    draft: DraftStatus | None


def _language(language: str) -> str:
    if language not in TRANSLATED_LANGUAGES:
        raise UserError("translate.unknown_language")
    return language


class Translating(AuthoringBase):
    save: Callable[..., tuple[Draft, list[Problem]]]  # from Workflow, in the service
    # --- what there is ---------------------------------------------------------------
    def source(self, actor: User | None, kind: Kind, item_id: str) -> Module | Quiz:
        """The bokmål version learners see: what a translation translates."""
        require_role(actor, *AUTHOR_ROLES)
        model = self._published_model(kind, item_id)
        if model is None:
            raise UserError("translate.not_published")
        return model

    def _published_translations(self) -> list[PublishedTranslation]:
        return translations_from(self.repo.list_docs(TRANSLATIONS))

    def _twin_version(self, kind: Kind, item_id: str, language: str,
                      published: list[PublishedTranslation]) -> tuple[int | None, PublishedTranslation | None]:
        """The bokmål version the newest twin translates, and the app translation when that is the newest."""
        app = latest_translations(published).get((kind, item_id, language))
        if kind == Kind.QUIZ:
            quiz_twin = self.files.quiz_translations.get(item_id, {}).get(language)
            built = quiz_twin.version if quiz_twin is not None else None
        else:
            module_twin = self.files.module_translations.get(item_id, {}).get(language)
            built = module_twin.meta.version if module_twin is not None else None
        if app is not None and (built is None or app.version >= built):
            return app.version, app
        return built, None

    def _twin_files(self, kind: Kind, item_id: str, language: str) -> tuple[int | None, Files]:
        """The newest twin in any version (an app translation or the built-in files) and the version it translates."""
        version, app = self._twin_version(kind, item_id, language, self._published_translations())
        if app is not None:
            return version, dict(app.files)
        return (version, self._built_in_files(kind, item_id, language)) if version is not None else (None, {})

    def _built_in_files(self, kind: Kind, item_id: str, language: str) -> Files:
        if kind == Kind.QUIZ:
            path = self.content_root / "quizzes" / f"{item_id}.{language}.yaml"
            return {f"quizzes/{item_id}.{language}.yaml": path.read_text(encoding="utf-8")} if path.is_file() else {}
        folder = self.content_root / "modules" / item_id
        if not folder.is_dir():
            return {}
        return {f"{module_folder(item_id)}/{path.name}": path.read_text(encoding="utf-8")
                for path in sorted(folder.iterdir())
                if path.is_file() and split_language(path.name.rsplit(".", 1)[0])[1] == language}

    def _fitting_files(self, kind: Kind, item_id: str, language: str, source: Module | Quiz) -> Files | None:
        version, files = self._twin_files(kind, item_id, language)
        return files if files and version == source.version else None

    def translation_status(self, actor: User | None, only: tuple[Kind, str] | None = None) -> list[TranslationStatus]:
        """Every published module and scenario (or ``only`` this one) in every translated language: present,
        missing or out of date."""
        require_role(actor, *AUTHOR_ROLES)
        catalog = self._catalog()
        published = self._published_translations()
        drafts = {(d.kind, d.item_id, d.language): d.status for d in self._drafts() if d.is_open and d.language}
        out = []
        items: list[tuple[Kind, Module | Quiz]] = [(Kind.MODULE, m) for m in catalog.modules.values()]
        items += [(Kind.QUIZ, q) for q in catalog.quizzes.values()]
        for kind, model in items:
            if only is not None and (kind, model.id) != only:
                continue
            title = model.title if isinstance(model, Quiz) else model.meta.title
            for language in TRANSLATED_LANGUAGES:
                version, _ = self._twin_version(kind, model.id, language, published)
                if _fits(catalog, kind, model, language):
                    state = TranslationState.PRESENT
                elif version is not None:
                    state = TranslationState.OUT_OF_DATE
                else:
                    state = TranslationState.MISSING
                out.append(TranslationStatus(kind=kind, item_id=model.id, title=title, language=language, state=state,
                                             source_version=model.version, translated_version=version,
                                             draft=drafts.get((kind, model.id, language))))
        return sorted(out, key=lambda s: (s.kind != Kind.MODULE, s.title.lower(), s.item_id,
                                          TRANSLATED_LANGUAGES.index(s.language)))

    def translation_draft(self, actor: User | None, kind: Kind, item_id: str, language: str) -> Draft | None:
        require_role(actor, *AUTHOR_ROLES)
        draft = self._load(kind, item_id, _language(language))
        return draft if draft is not None and draft.is_open else None

    # --- writing ---------------------------------------------------------------------
    def edit_translation(self, actor: User | None, kind: Kind, item_id: str, language: str) -> Draft:
        """The open translation draft, or a new one: the newest twin's texts on the structure learners see now."""
        actor = require_role(actor, *AUTHOR_ROLES)
        language = _language(language)
        existing = self._load(kind, item_id, language)
        if existing is not None and existing.is_open:
            return existing
        source = self.source(actor, kind, item_id)
        _, twin = self._twin_files(kind, item_id, language)
        files = translation_files(source, language, texts_from_files(source, language, twin))
        fitting = self._fitting_files(kind, item_id, language, source)
        draft, apply = self._starting(actor, kind, item_id, files, base_version=source.version, editors=[],
                                      base_digest=digest(fitting) if fitting else None)
        draft = draft.model_copy(update={"language": language})
        return Draft.model_validate(self.repo.update_doc(DRAFTS, draft.key, lambda doc: {
            **apply(doc), "language": language}))

    def save_translation(self, actor: User | None, kind: Kind, item_id: str, language: str, texts: dict,
                         expected_revision: int | None = None) -> tuple[Draft, list[Problem]]:
        """Save translated texts; the files are built on the bokmål structure (nothing else can change)."""
        actor = require_role(actor, *AUTHOR_ROLES)
        language = _language(language)
        source = self.source(actor, kind, item_id)
        files = translation_files(source, language, texts)
        return self.save(actor, kind, item_id, files, expected_revision, language=language)

    # --- checks and views -------------------------------------------------------------
    def check_translation(self, draft: Draft) -> tuple[Module | Quiz | None, list[Problem]]:
        """The draft against the bokmål version learners see; the model is the item as a learner of
        ``draft.language`` would see it (same fallback as the catalog's)."""
        source = self._published_model(draft.kind, draft.item_id)
        if source is None or draft.language is None:
            return None, [Problem(quiz_path(draft.item_id) if draft.kind == Kind.QUIZ else draft.item_id, None,
                                  "nb_not_published")]
        return learner_view(source, draft.language, draft.files)

    def quiz_in_language(self, actor: User | None, quiz_id: str, language: str) -> Quiz | None:
        """A published scenario as learners of ``language`` see it (for previewing a module translation)."""
        require_role(actor, *AUTHOR_ROLES)
        return self._catalog().in_language(language).quizzes.get(quiz_id)

    def translation_changes(self, actor: User | None, draft: Draft) -> str:
        """The draft against the newest twin (a unified diff)."""
        require_role(actor, *AUTHOR_ROLES)
        _, twin = self._twin_files(draft.kind, draft.item_id, draft.language or "")
        return files_diff(twin, draft.files)

    def _current_translation(self, draft: Draft) -> Files | None:
        source = self._published_model(draft.kind, draft.item_id)
        return self._fitting_files(draft.kind, draft.item_id, draft.language or "", source) if source else None

    def _approve_translation(self, actor: User, draft: Draft) -> PublishedTranslation:
        source = self._published_model(draft.kind, draft.item_id)
        if source is None:
            raise UserError("translate.not_published")
        if self.check_translation(draft)[1]:
            raise UserError("author.has_problems")
        language = draft.language or ""
        earlier = [t.number for t in self._published_translations()
                   if (t.kind, t.item_id, t.language, t.version) == (draft.kind, draft.item_id, language,
                                                                     source.version)]
        now = self.clock()
        version = PublishedTranslation(
            kind=draft.kind, item_id=draft.item_id, language=language, version=source.version,
            number=max(earlier, default=0) + 1, files=dict(draft.files), digest=digest(draft.files),
            provenance=draft.provenance, submitted_by=draft.submitted_by or draft.updated_by,
            submitted_by_name=draft.submitted_by_name, approved_by=actor.id, approved_by_name=actor.name,
            published_at=now, comments=draft.comments)

        def claim(current: Draft) -> Draft:
            if current.status != DraftStatus.REVIEW or current.revision != draft.revision:
                raise UserError("author.stale")
            return current.model_copy(update={"status": DraftStatus.PUBLISHED, "published_version": source.version,
                                              "revision": current.revision + 1, **self._stamp(actor)})

        def write(doc: dict | None) -> dict:
            if doc is not None:
                raise UserError("author.stale")
            return version.model_dump(mode="json")

        self.repo.update_docs({(DRAFTS, draft.key): on_open_draft(claim), (TRANSLATIONS, version.key): write})
        record(self.repo, actor, AuditAction.CONTENT_PUBLISHED, at=now,
               target=f"{draft.kind.value}:{draft.item_id}:{language}", version=source.version,
               submitted_by=version.submitted_by)
        return version


def _fits(catalog: ContentCatalog, kind: Kind, model: Module | Quiz, language: str) -> bool:
    """Does a learner of ``language`` see a translation of this version (the catalog's own rule)?"""
    if isinstance(model, Quiz):
        twin = catalog.quiz_translations.get(model.id, {}).get(language)
        return twin is not None and localize_quiz(model, twin) is twin
    module_twin = catalog.module_translations.get(model.id, {}).get(language)
    return module_twin is not None and translation_fits(model, module_twin)
