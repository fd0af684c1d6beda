"""What changed between two versions of a module or scenario, part by part, for people.

Instead of a file diff: each change names the part as the editor does (the scenario,
step 2 «Mia forteller», choice 1; a lesson by title) and the field, with the old and
the new value. Works on files that do not validate (a draft), reading what it can.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from learning.content.bundle import Files, Kind, load_data, main_path, module_folder
from learning.content.loader import MODULE_FILE
from learning.i18n import t

QUIZ_FIELDS = ("title", "intro", "setting", "pass_percent")
STEP_FIELDS = ("title", "text")
CHOICE_FIELDS = ("text", "feedback", "points", "next", "tags", "critical", "critical_reason")
MODULE_FIELDS = ("title", "short_title", "description", "service_areas", "audience", "minutes", "quiz", "sources")
TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Change:
    """One field that changed: where (parts, outermost first), which field, old and new ("" when absent)."""

    where: tuple[tuple[str, object], ...]  # ("step", (2, "Mia forteller")), ("choice", 1), ("lesson", "Tittel")
    field: str
    old: str
    new: str

    @property
    def added(self) -> bool:
        return not self.old and bool(self.new)

    @property
    def removed(self) -> bool:
        return bool(self.old) and not self.new


def _text(value: object) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "✓"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _list(value: object) -> list:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _fields(where: tuple, old: dict, new: dict, names: tuple[str, ...]) -> list[Change]:
    return [Change(where, name, _text(old.get(name)), _text(new.get(name))) for name in names
            if _text(old.get(name)) != _text(new.get(name))]


def _step_names(steps: list[dict]) -> dict[object, str]:
    return {step.get("id"): t("diff.step", n=n, title=_text(step.get("title")) or _text(step.get("id")))
            for n, step in enumerate(steps, start=1)}


def _with_names(choice: dict, names: dict[object, str]) -> dict:
    """A choice whose ``next`` is the step's name (or «Slutt»), as the editor shows it."""
    if not choice:
        return choice
    target = choice.get("next")
    return {**choice, "next": names.get(target, _text(target)) if target else t("editor.next_end")}


def quiz_changes(old: dict, new: dict) -> list[Change]:
    out = _fields((), old, new, QUIZ_FIELDS)
    old_list, new_steps = _list(old.get("steps")), _list(new.get("steps"))
    old_steps = {s.get("id"): s for s in old_list}
    old_names, new_names = _step_names(old_list), _step_names(new_steps)
    for n, step in enumerate(new_steps, start=1):
        where = (("step", (n, _text(step.get("title")) or _text(step.get("id")))),)
        before = old_steps.pop(step.get("id"), {})
        out += _fields(where, before, step, STEP_FIELDS)
        old_choices, new_choices = _list(before.get("choices")), _list(step.get("choices"))
        for j in range(max(len(old_choices), len(new_choices))):
            a = _with_names(old_choices[j] if j < len(old_choices) else {}, old_names)
            b = _with_names(new_choices[j] if j < len(new_choices) else {}, new_names)
            out += _fields((*where, ("choice", j + 1)), a, b, CHOICE_FIELDS)
    for step in old_steps.values():
        where = (("step", (0, _text(step.get("title")) or _text(step.get("id")))),)
        out.append(Change(where, "removed", _text(step.get("text")), ""))
    return out


def module_changes(item_id: str, old: Files, new: Files) -> list[Change]:
    folder = module_folder(item_id)
    old_meta = load_data(old.get(f"{folder}/{MODULE_FILE}", ""))
    new_meta = load_data(new.get(f"{folder}/{MODULE_FILE}", ""))
    out = _fields((), old_meta, new_meta, MODULE_FIELDS)
    old_lessons = {ref.get("id"): ref for ref in _list(old_meta.get("lessons"))}
    for n, ref in enumerate(_list(new_meta.get("lessons")), start=1):
        lesson_id = ref.get("id")
        before = old_lessons.pop(lesson_id, None)
        where = (("lesson", (n, _text(ref.get("title")) or _text(lesson_id))),)
        body_old = old.get(f"{folder}/{lesson_id}.md", "") if before is not None else ""
        body_new = new.get(f"{folder}/{lesson_id}.md", "")
        if before is None:
            out.append(Change(where, "added", "", body_new))
            continue
        out += _fields(where, before, ref, ("title",))
        if body_old != body_new:
            out.append(Change(where, "body", body_old, body_new))
    for ref in old_lessons.values():
        where = (("lesson", (0, _text(ref.get("title")) or _text(ref.get("id")))),)
        out.append(Change(where, "removed", old.get(f"{folder}/{ref.get('id')}.md", ""), ""))
    old_guide = old.get(f"{folder}/{old_meta.get('guide')}", "") if isinstance(old_meta.get("guide"), str) else ""
    new_guide = new.get(f"{folder}/{new_meta.get('guide')}", "") if isinstance(new_meta.get("guide"), str) else ""
    if old_guide != new_guide:
        out.append(Change((), "guide", old_guide, new_guide))
    return out


def changes(kind: Kind, item_id: str, old: Files, new: Files) -> list[Change]:
    """Every change from ``old`` to ``new`` (``old`` empty: everything is new)."""
    if kind == Kind.QUIZ:
        path = main_path(kind, item_id)
        return quiz_changes(load_data(old.get(path, "")), load_data(new.get(path, "")))
    return module_changes(item_id, old, new)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces: "same", "removed" or "added", by words (whitespace kept)."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("removed", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("added", "".join(b[j1:j2])))
    return out
