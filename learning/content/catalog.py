"""All built-in content, loaded and cross-checked once, with its translations (``translations.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from learning.content.loader import MODULE_FILE, _read, load_module_dir, load_quiz_file
from learning.content.models import Module, Quiz
from learning.content.problems import ContentError, Problem
from learning.content.translations import (
    SOURCE_LANGUAGE,
    TRANSLATED_LANGUAGES,
    ModuleTranslation,
    load_module_translations,
    localize_module,
    localize_quiz,
    parse_quiz_translation,
    split_language,
    unknown_language,
)
from learning.content.yaml_lines import YamlSyntaxError, load_yaml


def _label(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass
class ContentCatalog:
    """Modules and quizzes by id, in display order, with any problems found."""

    modules: dict[str, Module] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    module_files: dict[str, str] = field(default_factory=dict)
    module_translations: dict[str, dict[str, ModuleTranslation]] = field(default_factory=dict)
    """Module id -> language -> its twin files."""
    quiz_translations: dict[str, dict[str, Quiz]] = field(default_factory=dict)
    """Quiz id -> language -> the translated scenario."""
    language: str = SOURCE_LANGUAGE
    _views: dict[str, ContentCatalog] = field(default_factory=dict, repr=False, compare=False)

    def in_language(self, language: str) -> ContentCatalog:
        """The same catalog as learners of ``language`` see it: each text translated where a twin fits.

        Built once per catalog and language; ids, order and scoring are the same in every view.
        """
        if language == self.language or language not in TRANSLATED_LANGUAGES:
            return self
        view = self._views.get(language)
        if view is None:
            modules = {key: localize_module(module, self.module_translations.get(key, {}).get(language))
                       for key, module in self.modules.items()}
            quizzes = {key: localize_quiz(quiz, self.quiz_translations.get(key, {}).get(language))
                       for key, quiz in self.quizzes.items()}
            view = ContentCatalog(modules=modules, quizzes=quizzes, problems=self.problems,
                                  module_files=self.module_files, module_translations=self.module_translations,
                                  quiz_translations=self.quiz_translations, language=language)
            self._views[language] = view
        return view

    def module(self, module_id: str) -> Module:
        return self.modules[module_id]

    def quiz_for(self, module: Module) -> Quiz | None:
        return self.quizzes.get(module.meta.quiz) if module.meta.quiz else None

    def add_module(self, folder: Path) -> None:
        try:
            module = load_module_dir(folder, _label(folder))
        except ContentError as exc:
            self.problems += exc.problems
            return
        if module.id in self.modules:
            self.problems.append(Problem(_label(folder / MODULE_FILE), 1, "duplicate_module", {"id": module.id},
                                         at="id"))
        self.modules[module.id] = module
        self.module_files[module.id] = _label(folder / MODULE_FILE)
        twins, problems = load_module_translations(folder, _label(folder), module)
        self.problems += problems
        if twins:
            self.module_translations[module.id] = twins

    def add_quiz(self, path: Path) -> None:
        if split_language(path.stem)[1] is not None:
            self.add_quiz_translation(path)
            return
        try:
            quiz = load_quiz_file(path, _label(path))
        except ContentError as exc:
            self.problems += exc.problems
            return
        if quiz.id in self.quizzes:
            self.problems.append(Problem(_label(path), 1, "duplicate_quiz", {"id": quiz.id}, at="id"))
        self.quizzes[quiz.id] = quiz

    def add_quiz_translation(self, path: Path) -> None:
        """``quizzes/<id>.<lang>.yaml``: checked against its bokmål twin (loaded first, or read beside it)."""
        label = _label(path)
        stem, language = split_language(path.stem)
        if language not in TRANSLATED_LANGUAGES:
            self.problems.append(unknown_language(label, language))
            return
        source = path.with_name(f"{stem}{path.suffix}")
        nb = self.quizzes.get(stem)
        try:
            if nb is None:
                if not source.is_file():
                    self.problems.append(Problem(label, None, "nb_file_missing", {"file": _label(source)}))
                    return
                nb = load_quiz_file(source, _label(source))
            twin = parse_quiz_translation(_read(path, label), label, nb, _label(source))
        except ContentError as exc:
            self.problems += [p for p in exc.problems if p not in self.problems]
            return
        self.quiz_translations.setdefault(stem, {})[language] = twin

    def add_path(self, path: Path) -> None:
        """A module folder, a folder of module folders, a quiz file or a folder of quizzes."""
        if path.is_file():
            if path.name == MODULE_FILE:
                self.add_module(path.parent)
            elif path.suffix in {".yaml", ".yml"}:
                self.add_quiz(path)
            else:
                self.problems.append(Problem(_label(path), None, "not_yaml"))
        elif (path / MODULE_FILE).exists():
            self.add_module(path)
        elif path.is_dir():
            children = sorted(path.iterdir(), key=lambda p: (split_language(p.stem)[1] is not None, p.name))
            for child in children:  # bokmål first: a translation is checked against it
                if child.is_dir() and (child / MODULE_FILE).exists():
                    self.add_module(child)
                elif child.suffix in {".yaml", ".yml"}:
                    self.add_quiz(child)
        else:
            self.problems.append(Problem(_label(path), None, "not_found"))

    def check_references(self, known_quizzes: set[str]) -> None:
        for module in self.modules.values():
            if module.meta.quiz and module.meta.quiz not in known_quizzes:
                label = self.module_files.get(module.id, module.id)
                line = _quiz_line(label)
                self.problems.append(Problem(label, line, "quiz_not_in_folder", {"id": module.meta.quiz}, at="quiz"))


def _quiz_line(label: str) -> int | None:
    try:
        _, lines = load_yaml(Path(label).read_text(encoding="utf-8"))
    except (OSError, YamlSyntaxError):
        return None
    return lines.get(("quiz",))


def load_catalog(root: Path, extra_paths: list[Path] | None = None) -> ContentCatalog:
    """Load ``root/modules`` and ``root/quizzes`` (or the given paths instead)."""
    catalog = ContentCatalog()
    paths = extra_paths or [root / "modules", root / "quizzes"]
    for path in paths:
        catalog.add_path(path)
    known = set(catalog.quizzes)
    if extra_paths and (root / "quizzes").is_dir():
        # A module checked alone may name a quiz that lives in the repository's quizzes/.
        known |= {path.stem for path in (root / "quizzes").glob("*.y*ml")}
    catalog.check_references(known)
    return catalog
