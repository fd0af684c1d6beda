"""Building a draft's files from editor fields (pure; the editors and the service share them)."""

from __future__ import annotations

from learning.content.bundle import (
    Files,
    Kind,
    check_module,
    check_quiz,
    keep_text_if_same,
    module_folder,
    quiz_path,
)
from learning.content.loader import MODULE_FILE
from learning.content.models import Choice, Module, ModuleMeta, Quiz, Step
from learning.content.problems import Problem
from learning.errors import UserError
from learning.services.authoring.drafts import NEW_LESSON_ID

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
    named = meta.get("guide")
    guide_file = named if isinstance(named, str) and named else "guide.md"
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
    if guide is not None and "guide" in meta:
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
