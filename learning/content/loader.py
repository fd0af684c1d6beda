"""Read and validate content files: module folders and scenario quiz files.

Every function here reports problems as ``Problem`` (path, line, message) and
never lets a YAML, pydantic or OS exception escape to the caller.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from learning.content.graph import Branches, analyse
from learning.content.messages import coded_errors, field_name
from learning.content.models import MAX_LESSON_CHARS, Lesson, Module, ModuleMeta, Quiz
from learning.content.problems import ContentError, Problem
from learning.content.yaml_lines import Location, YamlSyntaxError, line_for, load_yaml
from learning.render import CALLOUTS, is_allowed_image, is_safe_link

MODULE_FILE = "module.yaml"
CONTAINER_FENCE = re.compile(r"^\s*:::\s*(\S*)")
MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]*)")


def _parse_yaml(text: str, label: str, model):
    try:
        data, lines = load_yaml(text)
    except YamlSyntaxError as exc:
        raise ContentError([Problem(label, exc.line, exc.code, exc.values)]) from None
    if not isinstance(data, dict):
        raise ContentError([Problem(label, 1, "file_not_mapping")])
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        problems = [Problem(label, line_for(loc, lines), code, values, loc, field_name(loc))
                    for loc, code, values in coded_errors(exc)]
        raise ContentError(sorted(problems, key=lambda p: (p.line or 0, p.message))) from None


def quiz_problems(quiz: Branches, lines: dict, label: str) -> list[Problem]:
    """Branching problems: duplicate ids, unknown next steps, unreachable steps, loops."""
    report = analyse(quiz)
    out: list[Problem] = []
    def add(loc: tuple, code: str, value: str) -> None:
        out.append(Problem(label, line_for(loc, lines), code, {"id": value}, loc, field_name(loc)))

    for index, step_id in report.duplicate_ids:
        add(("steps", index, "id"), "duplicate_step", step_id)
    for s_index, c_index, target in report.unknown_targets:
        add(("steps", s_index, "choices", c_index, "next"), "unknown_step", target)
    for index, step_id in report.unreachable:
        add(("steps", index, "id"), "unreachable", step_id)
    for index, step_id in report.endless:
        add(("steps", index, "id"), "loop", step_id)
    return out


def critical_problems(quiz: Quiz, lines: dict, label: str) -> list[Problem]:
    """A critical mistake needs its reason, gives no points and ends the scenario; a step needs a safe choice."""
    out: list[Problem] = []

    def add(loc: tuple, code: str) -> None:
        out.append(Problem(label, line_for(loc, lines), code, (), loc, field_name(loc)))

    for s_index, step in enumerate(quiz.steps):
        for c_index, choice in enumerate(step.choices):
            loc = ("steps", s_index, "choices", c_index)
            if choice.critical and not choice.critical_reason:
                add((*loc, "critical"), "critical_reason_missing")
            if choice.critical_reason and not choice.critical:
                add((*loc, "critical_reason"), "reason_without_critical")
            if choice.critical and choice.points:
                add((*loc, "points"), "critical_points")
            if choice.critical and choice.next:
                add((*loc, "next"), "critical_next")
        if all(choice.critical for choice in step.choices):
            add(("steps", s_index, "choices"), "all_critical")
    return out


def parse_quiz(text: str, label: str) -> Quiz:
    """Validate a scenario quiz given as YAML text; raise ContentError with every problem."""
    quiz, lines = _parse_yaml(text, label, Quiz)
    problems = quiz_problems(quiz, lines, label) + critical_problems(quiz, lines, label)
    if problems:
        raise ContentError(problems)
    return quiz


def markdown_problems(text: str, label: str) -> list[Problem]:
    """Callout blocks must be known and closed; links must be safe."""
    problems: list[Problem] = []
    open_at: int | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        fence = CONTAINER_FENCE.match(line)
        if fence:
            name = fence.group(1)
            if open_at is None:
                if name not in CALLOUTS:
                    known = ", ".join(f"«::: {n}»" for n in CALLOUTS)
                    problems.append(Problem(label, number, "unknown_callout", {"name": name, "known": known}))
                else:
                    open_at = number
            elif name:
                problems.append(Problem(label, number, "callout_nested", {"open_at": open_at}))
            else:
                open_at = None
        for url in MARKDOWN_LINK.findall(line):
            if not is_safe_link(url):
                problems.append(Problem(label, number, "link_not_allowed", {"url": url[:40]}))
        for url in MARKDOWN_IMAGE.findall(line):
            if is_safe_link(url) and not is_allowed_image(url):
                problems.append(Problem(label, number, "image_not_allowed", {"url": url[:40]}))
    if open_at is not None:
        problems.append(Problem(label, open_at, "callout_not_closed"))
    return problems


def parse_module(meta_text: str, lesson_texts: dict[str, str | None], guide_text: str | None,
                 label: str) -> Module:
    """Validate a module given as texts (module.yaml, lessons by id, guide)."""
    folder = label.rsplit("/", 1)[0] if "/" in label else label
    meta, lines = _parse_yaml(meta_text, label, ModuleMeta)
    problems: list[Problem] = []
    seen: set[str] = set()
    lessons: list[Lesson] = []
    for index, ref in enumerate(meta.lessons):
        loc: Location = ("lessons", index, "id")
        if ref.id in seen:
            problems.append(Problem(label, line_for(loc, lines), "duplicate_lesson", {"id": ref.id}, loc,
                                    field_name(loc)))
        seen.add(ref.id)
        body = lesson_texts.get(ref.id)
        if body is None:
            problems.append(Problem(label, line_for(loc, lines), "file_not_found", {"file": f"{ref.id}.md"},
                                    at=field_name(loc)))
            continue
        problems += markdown_problems(body, f"{folder}/{ref.id}.md")
        if len(body) > MAX_LESSON_CHARS:
            problems.append(Problem(f"{folder}/{ref.id}.md", None, "text_too_long", {"max": MAX_LESSON_CHARS}))
            continue
        lessons.append(Lesson(id=ref.id, title=ref.title, body=body))
    if meta.guide and guide_text is None:
        loc = ("guide",)
        problems.append(Problem(label, line_for(loc, lines), "file_not_found", {"file": meta.guide}, at="guide"))
    if guide_text:
        problems += markdown_problems(guide_text, f"{folder}/{meta.guide}")
    if problems:
        raise ContentError(problems)
    return Module(meta=meta, lessons=lessons, guide=guide_text)


def _read(path: Path, label: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError([Problem(label, None, "not_utf8")]) from None
    except OSError as exc:
        raise ContentError([Problem(label, None, "unreadable", {"detail": exc.strerror})]) from None


def load_module_dir(folder: Path, label: str) -> Module:
    meta_label = f"{label}/{MODULE_FILE}"
    meta_path = folder / MODULE_FILE
    if not meta_path.exists():
        raise ContentError([Problem(label, None, "folder_without_module_file", {"file": MODULE_FILE})])
    meta_text = _read(meta_path, meta_label)
    lesson_texts: dict[str, str | None] = {}
    for md in sorted(folder.glob("*.md")):
        if "." not in md.stem:  # <lesson>.nn.md and the like are translations (content/translations.py)
            lesson_texts[md.stem] = _read(md, f"{label}/{md.name}")
    guide_text = None
    try:
        data, _ = load_yaml(meta_text)
        guide_name = data.get("guide") if isinstance(data, dict) else None
    except YamlSyntaxError:
        guide_name = None
    if isinstance(guide_name, str) and (folder / guide_name).is_file():
        guide_text = _read(folder / guide_name, f"{label}/{guide_name}")
    module = parse_module(meta_text, lesson_texts, guide_text, meta_label)
    if module.id != folder.name:
        raise ContentError([Problem(meta_label, 1, "id_not_folder", {"id": module.id, "folder": folder.name}, at="id")])
    return module


def load_quiz_file(path: Path, label: str) -> Quiz:
    quiz = parse_quiz(_read(path, label), label)
    if quiz.id != path.stem:
        raise ContentError([Problem(label, 1, "id_not_file_name", {"id": quiz.id, "name": path.stem}, at="id")])
    return quiz
