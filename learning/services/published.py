"""Published authored versions, and the content learners see.

Built-in content comes from files (``load_catalog``). An approved draft becomes an
immutable version document in the store (collection ``author_versions``). The
effective catalog is the file catalog plus the latest published version of each
authored module and scenario; an authored version of a built-in id replaces the
file's when its version number is higher.

A translation approved in the app is a ``PublishedTranslation`` (collection
``author_translations``): twin files for the bokmål version it translates. It takes the
place of the built-in twin when it translates the version learners see; the rules of when
a twin is shown stay in ``content/translations.py``.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import TypeVar

from pydantic import BaseModel, Field, ValidationError

from learning.content.bundle import Files, Kind, check_module, check_quiz
from learning.content.catalog import ContentCatalog
from learning.content.models import Module, Quiz
from learning.content.problems import ContentError
from learning.content.translation_files import parse_translation
from learning.content.translations import ModuleTranslation
from learning.i18n import current_language
from learning.storage.repository import Repository

VERSIONS = "author_versions"
TRANSLATIONS = "author_translations"
log = logging.getLogger("learning.published")


class ReviewComment(BaseModel):
    by: str
    by_name: str
    at: datetime
    text: str


class PublishedVersion(BaseModel):
    """One immutable published version of a module or scenario."""

    kind: Kind
    item_id: str
    version: int
    files: Files
    digest: str
    provenance: str = Field(description="What knowledge from children the version builds on.")
    submitted_by: str
    submitted_by_name: str
    approved_by: str
    approved_by_name: str
    published_at: datetime
    comments: list[ReviewComment] = Field(default_factory=list)
    raised_by_quiz: int | None = Field(default=None, description="Published only because its scenario got this "
                                       "new version (the module's own files did not change).")
    withdrawn: bool = Field(default=False, description="Learners no longer see the item (its files are the last ones "
                            "they saw, kept for the history).")

    @property
    def key(self) -> str:
        return version_key(self.kind, self.item_id, self.version)


def version_key(kind: Kind, item_id: str, version: int) -> str:
    return f"{kind.value}:{item_id}:{version:06d}"


class PublishedTranslation(BaseModel):
    """One approved translation: the twin files of one bokmål version in one language (immutable)."""

    kind: Kind
    item_id: str
    language: str
    version: int = Field(description="The bokmål version it translates; learners see it only with that version.")
    number: int = Field(default=1, description="1, 2, ... for the translations of the same version.")
    files: Files
    digest: str
    provenance: str
    submitted_by: str
    submitted_by_name: str
    approved_by: str
    approved_by_name: str
    published_at: datetime
    comments: list[ReviewComment] = Field(default_factory=list)

    @property
    def key(self) -> str:
        return translation_key(self.kind, self.item_id, self.language, self.version, self.number)


def translation_key(kind: Kind, item_id: str, language: str, version: int, number: int) -> str:
    return f"{kind.value}:{item_id}:{language}:{version:06d}:{number:03d}"


def translations_from(docs: list[dict]) -> list[PublishedTranslation]:
    """Readable published translations, oldest first (a damaged one is logged and left out)."""
    return sorted(_readable(docs, PublishedTranslation, "published translation"),
                  key=lambda v: (v.kind, v.item_id, v.language, v.version, v.number))


def latest_translations(translations: list[PublishedTranslation]
                        ) -> dict[tuple[Kind, str, str], PublishedTranslation]:
    """The newest translation per item and language."""
    return {(v.kind, v.item_id, v.language): v for v in translations}  # sorted oldest first: the last one wins


def all_versions(repo: Repository) -> list[PublishedVersion]:
    """Every readable published version; a damaged one is logged and left out, so learners see
    the one before it (or the built-in file) instead of an error on every page."""
    return versions_from(repo.list_docs(VERSIONS))


def fingerprint(docs: list[dict]) -> frozenset:
    """What identifies the published versions in these documents, read without validating them."""
    return frozenset((d.get("kind"), d.get("item_id"), d.get("version"), d.get("digest"), d.get("withdrawn"))
                     for d in docs)


def versions_from(docs: list[dict]) -> list[PublishedVersion]:
    return sorted(_readable(docs, PublishedVersion, "published version"), key=lambda v: (v.kind, v.item_id, v.version))


M = TypeVar("M", bound=BaseModel)


def _readable(docs: list[dict], model: type[M], what: str) -> list[M]:
    """The documents that validate as ``model``; each that does not is logged (which one, and why) and left out."""
    out = []
    for doc in docs:
        try:
            out.append(model.model_validate(doc))
        except ValidationError as exc:
            log.warning("%s %s:%s:%s cannot be read, left out: %s", what, doc.get("kind"), doc.get("item_id"),
                        doc.get("version"), exc.errors()[0].get("msg"))
    return out


def latest_versions(versions: list[PublishedVersion]) -> dict[tuple[Kind, str], PublishedVersion]:
    latest: dict[tuple[Kind, str], PublishedVersion] = {}
    for version in versions:
        known = latest.get((version.kind, version.item_id))
        if known is None or version.version > known.version:
            latest[(version.kind, version.item_id)] = version
    return latest


_parsed: dict[str, Module | Quiz | ContentError] = {}
_parsed_guard = threading.Lock()


def parse_version(version: PublishedVersion) -> Module | Quiz:
    """The version's model; versions never change, so each is parsed once per process."""
    key = f"{version.key}:{version.digest}"
    with _parsed_guard:
        found = _parsed.get(key)
    if found is None:
        check = check_quiz if version.kind == Kind.QUIZ else check_module
        model, problems = check(version.files, version.item_id)
        found = model if model is not None else ContentError(problems)
        with _parsed_guard:
            if len(_parsed) > 1000:
                _parsed.clear()
            _parsed[key] = found
    if isinstance(found, ContentError):
        raise found
    return found


def build_catalog(files: ContentCatalog, versions: list[PublishedVersion],
                  translations: list[PublishedTranslation] | None = None) -> ContentCatalog:
    catalog = ContentCatalog(modules=dict(files.modules), quizzes=dict(files.quizzes),
                             problems=list(files.problems), module_files=dict(files.module_files),
                             module_translations={k: dict(v) for k, v in files.module_translations.items()},
                             quiz_translations={k: dict(v) for k, v in files.quiz_translations.items()})
    for (kind, item_id), version in sorted(latest_versions(versions).items()):
        target = catalog.modules if kind == Kind.MODULE else catalog.quizzes
        if version.withdrawn:  # withdrawn by two authors: gone for learners, built-in file or not
            current = target.get(item_id)
            if current is not None and current.version <= version.version:
                del target[item_id]
            continue
        try:
            model = parse_version(version)
        except ContentError as exc:  # stored versions were valid when published; report, never crash
            catalog.problems += exc.problems
            continue
        if isinstance(model, Module):
            _keep_newer(catalog.modules, item_id, model)
        else:
            _keep_newer(catalog.quizzes, item_id, model)
    _add_translations(catalog, translations or [])
    return catalog


def _add_translations(catalog: ContentCatalog, translations: list[PublishedTranslation]) -> None:
    """Each language's newest approved twin, where it translates the version learners see.

    An older one is left out: learners would see bokmål anyway (``translations.translation_fits``),
    and the author's list says it is out of date.
    """
    for (kind, item_id, language), found in sorted(latest_translations(translations).items()):
        source = (catalog.modules if kind == Kind.MODULE else catalog.quizzes).get(item_id)
        if source is None or source.version != found.version:
            continue
        twin, problems = parse_translation(kind, item_id, language, found.files, source)
        if twin is None:
            catalog.problems += problems
        elif isinstance(twin, ModuleTranslation):
            catalog.module_translations.setdefault(item_id, {})[language] = twin
        else:
            catalog.quiz_translations.setdefault(item_id, {})[language] = twin


Item = TypeVar("Item", Module, Quiz)


def _keep_newer(target: dict[str, Item], item_id: str, model: Item) -> None:
    current = target.get(item_id)
    if current is None or model.version > current.version:
        target[item_id] = model


def effective_catalog(files: ContentCatalog, repo: Repository) -> ContentCatalog:
    """What learners see: built-in files plus the latest published authored versions."""
    return build_catalog(files, all_versions(repo), translations_from(repo.list_docs(TRANSLATIONS)))


class EffectiveCatalogCache:
    """Rebuild the effective catalog only when the store's documents file changed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._catalog: ContentCatalog | None = None
        self._published: frozenset | None = None  # the fingerprint the catalog was built from

    def get(self, files: ContentCatalog, repo: Repository, stamp: object) -> ContentCatalog:
        """``stamp`` identifies the documents file's state (None: unknown, always rebuild).

        The catalog comes in the language of this run (``i18n.current_language``), so every
        service built on it shows the learner's language without being told.
        """
        return self._get(files, repo, stamp).in_language(current_language())

    def _get(self, files: ContentCatalog, repo: Repository, stamp: object) -> ContentCatalog:
        """Any document write changes the stamp (autosaves, team sessions, queues too); the catalog is
        rebuilt only when the published versions differ, so its identity (and every cache keyed on
        it) survives writes that publish nothing."""
        key = (files, stamp)
        with self._lock:
            cached = self._catalog
            if (stamp is not None and cached is not None and self._key is not None and self._key[0] is files
                    and self._key[1] == stamp):
                return cached
            previous, built_from = self._catalog, self._published
            same_files = self._key is not None and self._key[0] is files
        docs, translated = repo.list_docs(VERSIONS), repo.list_docs(TRANSLATIONS)
        published = fingerprint(docs) | {("translation", d.get("item_id"), d.get("language"), d.get("version"),
                                          d.get("digest")) for d in translated}
        if stamp is not None and same_files and previous is not None and published == built_from:
            catalog = previous
        else:
            catalog = build_catalog(files, versions_from(docs), translations_from(translated))
        with self._lock:
            self._key, self._catalog, self._published = key, catalog, published
        return catalog
