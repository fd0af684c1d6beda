"""A translation as files: built from the bokmål structure plus translated texts, and read back.

An author edits only texts; everything else (ids, order, points, next, critical, tags,
version) is copied from the bokmål version being translated, so the structure cannot drift
(``translation_files``). The twin files are the same as in the repository
(``translations.py`` describes them) and are checked by the same parsers.

Texts are plain dicts keyed by id, so the texts of an older twin carry over to a new
bokmål version wherever a lesson or step is still there:

    module: {"title", "short_title", "description", "sources", "guide",
             "lessons": {lesson_id: {"title", "body"}}}
    quiz:   {"title", "intro", "steps": {step_id: {"text", "choices": [{"text", "feedback", "critical_reason"}]}}}
"""

from __future__ import annotations

from pathlib import PurePosixPath

from learning.content.bundle import Files, Kind, dump_yaml, load_data, module_folder, quiz_path
from learning.content.loader import MODULE_FILE
from learning.content.models import Module, Quiz
from learning.content.problems import ContentError, Problem
from learning.content.translations import (
    ModuleTranslation,
    localize_module,
    localize_quiz,
    parse_module_translation,
    parse_quiz_translation,
    split_language,
    twin_name,
)

CHOICE_TEXTS = ("text", "feedback", "critical_reason")


def twin_main_path(kind: Kind, item_id: str, language: str) -> str:
    """``modules/<id>/module.nn.yaml`` or ``quizzes/<id>.nn.yaml``."""
    if kind == Kind.QUIZ:
        return twin_name(quiz_path(item_id), language)
    return f"{module_folder(item_id)}/{twin_name(MODULE_FILE, language)}"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


# --- texts -> files (the structure lock) ---------------------------------------------
def translation_files(source: Module | Quiz, language: str, texts: dict) -> Files:
    """The twin files: ``source``'s structure with ``texts``; a lesson or guide left empty is not written
    (learners see bokmål for it)."""
    if isinstance(source, Quiz):
        return _quiz_files(source, language, texts)
    return _module_files(source, language, texts)


def _module_files(source: Module, language: str, texts: dict) -> Files:
    folder = module_folder(source.id)
    meta = source.meta.model_dump(mode="json", exclude_none=True)
    for field in ("title", "description", "sources"):
        meta[field] = _text(texts.get(field))
    short = _text(texts.get("short_title")).strip()
    if short and source.meta.short_title:
        meta["short_title"] = short
    lessons = _dict(texts.get("lessons"))
    meta["lessons"] = [{"id": ref.id, "title": _text(_dict(lessons.get(ref.id)).get("title"))}
                       for ref in source.meta.lessons]
    files = {f"{folder}/{twin_name(MODULE_FILE, language)}": dump_yaml(meta)}
    for ref in source.meta.lessons:
        body = _text(_dict(lessons.get(ref.id)).get("body"))
        if body.strip():
            files[f"{folder}/{ref.id}.{language}.md"] = body
    guide = _text(texts.get("guide"))
    if source.meta.guide and guide.strip():
        files[f"{folder}/{twin_name(source.meta.guide, language)}"] = guide
    return files


def _quiz_files(source: Quiz, language: str, texts: dict) -> Files:
    data = source.model_dump(mode="json", exclude_none=True)
    data["title"], data["intro"] = _text(texts.get("title")), _text(texts.get("intro"))
    steps = _dict(texts.get("steps"))
    for step in data["steps"]:
        mine = _dict(steps.get(step["id"]))
        step["text"] = _text(mine.get("text"))
        choices = _list(mine.get("choices"))
        for index, choice in enumerate(step["choices"]):
            theirs = _dict(choices[index]) if index < len(choices) else {}
            for field in CHOICE_TEXTS:
                if field in choice:
                    choice[field] = _text(theirs.get(field))
            if not choice.get("tags"):
                choice.pop("tags", None)
    return {twin_name(quiz_path(source.id), language): dump_yaml(data)}


# --- files -> texts (prefill the editor) -------------------------------------------
def texts_from_files(source: Module | Quiz, language: str, files: Files) -> dict:
    """The texts a twin holds, keyed by id (an older twin gives what still has a place); empty where none."""
    data = load_data(files.get(twin_main_path(Kind.QUIZ if isinstance(source, Quiz) else Kind.MODULE,
                                              source.id, language), ""))
    if isinstance(source, Quiz):
        steps = {s.get("id"): s for s in _list(data.get("steps")) if isinstance(s, dict)}
        out_steps = {}
        for step in source.steps:
            found = _dict(steps.get(step.id))
            choices = [_dict(c) for c in _list(found.get("choices"))]
            out_steps[step.id] = {"text": _text(found.get("text")), "choices": [
                {field: _text(choices[i].get(field)) if i < len(choices) else "" for field in CHOICE_TEXTS}
                for i in range(len(step.choices))]}
        return {"title": _text(data.get("title")), "intro": _text(data.get("intro")), "steps": out_steps}
    folder = module_folder(source.id)
    refs = {r.get("id"): r for r in _list(data.get("lessons")) if isinstance(r, dict)}
    lessons = {ref.id: {"title": _text(_dict(refs.get(ref.id)).get("title")),
                        "body": files.get(f"{folder}/{ref.id}.{language}.md", "")} for ref in source.meta.lessons}
    guide = files.get(f"{folder}/{twin_name(source.meta.guide, language)}", "") if source.meta.guide else ""
    return {"title": _text(data.get("title")), "short_title": _text(data.get("short_title")),
            "description": _text(data.get("description")), "sources": _text(data.get("sources")),
            "lessons": lessons, "guide": guide}


def source_texts(source: Module | Quiz) -> dict:
    """The bokmål texts, in the same shape (shown beside the translation)."""
    if isinstance(source, Quiz):
        return {"title": source.title, "intro": source.intro, "steps": {
            step.id: {"text": step.text, "choices": [{f: getattr(c, f) or "" for f in CHOICE_TEXTS}
                                                     for c in step.choices]} for step in source.steps}}
    return {"title": source.meta.title, "short_title": source.meta.short_title or "",
            "description": source.meta.description, "sources": source.meta.sources,
            "lessons": {lesson.id: {"title": lesson.title, "body": lesson.body} for lesson in source.lessons},
            "guide": source.guide or ""}


# --- files -> checked twin ----------------------------------------------------------
def parse_translation(kind: Kind, item_id: str, language: str, files: Files, source: Module | Quiz
                      ) -> tuple[ModuleTranslation | Quiz | None, list[Problem]]:
    """The twin, checked against ``source`` by ``translations.py``; None and the problems when it fails."""
    main = twin_main_path(kind, item_id, language)
    if main not in files:
        return None, [Problem(main, None, "file_missing")]
    try:
        if isinstance(source, Quiz):
            outside = sorted(set(files) - {main})
            if outside:
                return None, [Problem(p, None, "not_in_quiz") for p in outside]
            return parse_quiz_translation(files[main], main, source, quiz_path(item_id)), []
        return _parse_module(item_id, language, files, source, main), []
    except ContentError as exc:
        return None, exc.problems


def _parse_module(item_id: str, language: str, files: Files, source: Module, main: str) -> ModuleTranslation:
    folder = module_folder(item_id)
    guide_stem = (source.meta.guide or "guide.md").removesuffix(".md")
    lessons: dict[str, str] = {}
    guide: str | None = None
    problems: list[Problem] = []
    for path, text in sorted(files.items()):
        if path == main:
            continue
        pure = PurePosixPath(path)
        stem, found = split_language(pure.stem)
        if str(pure.parent) != folder or pure.suffix != ".md" or found != language:
            problems.append(Problem(path, None, "not_in_translation"))
        elif stem == guide_stem:
            guide = text
        else:
            lessons[stem] = text
    if problems:
        raise ContentError(problems)
    return parse_module_translation(language, files[main], lessons, guide, source, folder)


def learner_view(source: Module | Quiz, language: str, files: Files
                 ) -> tuple[Module | Quiz | None, list[Problem]]:
    """The item as a learner of ``language`` would see it with these twin files (the catalog's own
    fallback: bokmål where a lesson or guide is not translated); None and the problems when they fail."""
    kind = Kind.QUIZ if isinstance(source, Quiz) else Kind.MODULE
    twin, problems = parse_translation(kind, source.id, language, files, source)
    if twin is None:
        return None, problems
    if isinstance(source, Quiz):
        return localize_quiz(source, twin if isinstance(twin, Quiz) else None), []
    return localize_module(source, twin if isinstance(twin, ModuleTranslation) else None), []
