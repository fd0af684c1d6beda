"""All built-in content, loaded and cross-checked once."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from learning.content.loader import MODULE_FILE, load_module_dir, load_quiz_file
from learning.content.models import Module, Quiz
from learning.content.problems import ContentError, Problem
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
            self.problems.append(Problem(_label(folder / MODULE_FILE), 1, f"id: modulen «{module.id}» finnes fra før"))
        self.modules[module.id] = module
        self.module_files[module.id] = _label(folder / MODULE_FILE)

    def add_quiz(self, path: Path) -> None:
        try:
            quiz = load_quiz_file(path, _label(path))
        except ContentError as exc:
            self.problems += exc.problems
            return
        if quiz.id in self.quizzes:
            self.problems.append(Problem(_label(path), 1, f"id: quizen «{quiz.id}» finnes fra før"))
        self.quizzes[quiz.id] = quiz

    def add_path(self, path: Path) -> None:
        """A module folder, a folder of module folders, a quiz file or a folder of quizzes."""
        if path.is_file():
            if path.name == MODULE_FILE:
                self.add_module(path.parent)
            elif path.suffix in {".yaml", ".yml"}:
                self.add_quiz(path)
            else:
                self.problems.append(Problem(_label(path), None, "ukjent filtype (forventer .yaml)"))
        elif (path / MODULE_FILE).exists():
            self.add_module(path)
        elif path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_dir() and (child / MODULE_FILE).exists():
                    self.add_module(child)
                elif child.suffix in {".yaml", ".yml"}:
                    self.add_quiz(child)
        else:
            self.problems.append(Problem(_label(path), None, "finnes ikke"))

    def check_references(self, known_quizzes: set[str]) -> None:
        for module in self.modules.values():
            if module.meta.quiz and module.meta.quiz not in known_quizzes:
                label = self.module_files.get(module.id, module.id)
                line = _quiz_line(label)
                message = f"quiz: finner ikke quizen «{module.meta.quiz}» i quizzes/"
                self.problems.append(Problem(label, line, message))


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
