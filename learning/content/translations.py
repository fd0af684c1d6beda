"""Content in nynorsk and English beside the bokmål files, with bokmål wherever a translation is missing.

Bokmål is the source. A translation is a twin file with the language code before the suffix:

    modules/<id>/module.nn.yaml   module.yaml with title, short title, description, sources and lesson titles translated
    modules/<id>/<lesson>.nn.md   a lesson;             missing: the bokmål lesson is shown
    modules/<id>/guide.nn.md      the facilitator guide; missing: the bokmål guide is shown
    quizzes/<id>.nn.yaml          the scenario with its texts translated; missing: the bokmål scenario

A twin keeps everything that is not text exactly as in bokmål (ids, order, points, next,
critical, tags, version, pass mark), so progress, scoring and reports never depend on the
language; the validator names every difference. ``module.<lang>.yaml`` marks that a module
has the language, so lessons or a guide in a language without it are a problem. A twin is
used only for the version it translates: when the bokmål version is raised (in the files or
by publishing in the app), learners see bokmål until the twin is brought up to date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from learning.content.loader import MODULE_FILE, _parse_yaml, _read, critical_problems, markdown_problems
from learning.content.messages import field_name
from learning.content.models import MAX_LESSON_CHARS, Lesson, Module, ModuleMeta, Quiz
from learning.content.problems import ContentError, Problem, Word
from learning.content.yaml_lines import line_for

NB_FILE = Word("word.nb_file")
"""What a scenario twin is compared with when no file name is given."""

SOURCE_LANGUAGE = "nb"
TRANSLATED_LANGUAGES = ("nn", "en")
"""Languages content may be translated into; the UI has the same three (``i18n.Language``)."""

_TWIN = re.compile(r"^(?P<stem>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<language>[A-Za-z_-]+)$")
MODULE_TEXT_FIELDS = {"title", "short_title", "description", "sources", "lessons"}
"""module.yaml fields a twin translates (lessons: only the titles; ids and order stay)."""


def split_language(stem: str) -> tuple[str, str | None]:
    """``guide.nn`` -> (``guide``, ``nn``); a stem without a language code -> (stem, None)."""
    match = _TWIN.match(stem)
    return (match["stem"], match["language"]) if match else (stem, None)


def twin_name(name: str, language: str) -> str:
    """``guide.md`` -> ``guide.nn.md``."""
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{language}.{suffix}" if dot else f"{name}.{language}"


def unknown_language(label: str, language: str | None) -> Problem:
    return Problem(label, None, "unknown_language", {"language": str(language), "known": tuple(TRANSLATED_LANGUAGES)})


@dataclass(frozen=True)
class ModuleTranslation:
    """One language's twin files of a module (lessons and guide only where translated)."""

    language: str
    meta: ModuleMeta
    lessons: dict[str, str]
    guide: str | None = None


# --- structure: everything but the text is the same as in bokmål -----------------------
def _value(shown: object) -> object:
    return shown if isinstance(shown, Word) else str(shown)


def _differs(loc: tuple, nb_value: object, lines: dict, label: str, source: str) -> Problem:
    shown = ", ".join(str(v) for v in nb_value) if isinstance(nb_value, list) else nb_value
    value = Word("word.empty") if shown == "" else _value(shown)
    return Problem(label, line_for(loc, lines), "must_match_source", {"source": source, "value": value}, loc,
                   field_name(loc))


def module_structure_problems(nb: ModuleMeta, twin: ModuleMeta, lines: dict, label: str) -> list[Problem]:
    """Every field of a module twin that is not text must equal module.yaml's."""
    out: list[Problem] = []
    ours, theirs = nb.model_dump(mode="json"), twin.model_dump(mode="json")
    for key, value in ours.items():
        if key not in MODULE_TEXT_FIELDS and theirs.get(key) != value:
            out.append(_differs((key,), value, lines, label, MODULE_FILE))
    if [lesson.id for lesson in twin.lessons] != [lesson.id for lesson in nb.lessons]:
        out.append(_differs(("lessons",), [lesson.id for lesson in nb.lessons], lines, label, MODULE_FILE))
    return out


_CHOICE_FIELDS = ("points", "next", "critical", "tags")


def quiz_structure_problems(nb: Quiz, twin: Quiz, lines: dict, label: str, source: str = NB_FILE
                            ) -> list[Problem]:
    """Every field of a scenario twin that is not text must equal the bokmål file's, step by step."""
    out: list[Problem] = []
    for key in ("id", "setting", "version", "pass_percent"):
        if getattr(twin, key) != getattr(nb, key):
            out.append(_differs((key,), str(getattr(nb, key)), lines, label, source))
    if [s.id for s in twin.steps] != [s.id for s in nb.steps]:
        return [*out, _differs(("steps",), [s.id for s in nb.steps], lines, label, source)]
    for s_index, (ours, theirs) in enumerate(zip(nb.steps, twin.steps, strict=True)):
        if len(theirs.choices) != len(ours.choices):
            loc = ("steps", s_index, "choices")
            out.append(Problem(label, line_for(loc, lines), "choice_count_as_in_nb",
                               {"n": len(ours.choices), "source": source}, at=field_name(loc)))
            continue
        for c_index, (mine, yours) in enumerate(zip(ours.choices, theirs.choices, strict=True)):
            for key in _CHOICE_FIELDS:
                nb_value, twin_value = getattr(mine, key), getattr(yours, key)
                if key == "tags":
                    nb_value, twin_value = [str(tag) for tag in nb_value], [str(tag) for tag in twin_value]
                if nb_value != twin_value:
                    shown = Word("word.none") if nb_value in (None, []) else nb_value
                    out.append(_differs(("steps", s_index, "choices", c_index, key), shown, lines, label, source))
    return out


def same_quiz_structure(nb: Quiz, twin: Quiz) -> bool:
    return not quiz_structure_problems(nb, twin, {}, "")


# --- parsing ------------------------------------------------------------------------
def parse_quiz_translation(text: str, label: str, nb: Quiz, source: str = NB_FILE) -> Quiz:
    """A scenario twin: valid as a scenario, and the same as ``nb`` in all but its texts."""
    twin, lines = _parse_yaml(text, label, Quiz)
    problems = critical_problems(twin, lines, label) + quiz_structure_problems(nb, twin, lines, label, source)
    if problems:
        raise ContentError(problems)
    return twin


def parse_module_translation(language: str, meta_text: str, lesson_texts: dict[str, str], guide_text: str | None,
                             nb: Module, folder: str) -> ModuleTranslation:
    """A module's twin files in one language: module.<lang>.yaml plus any lessons and guide translated."""
    meta_label = f"{folder}/{twin_name(MODULE_FILE, language)}"
    meta, lines = _parse_yaml(meta_text, meta_label, ModuleMeta)
    problems = module_structure_problems(nb.meta, meta, lines, meta_label)
    lesson_ids = set(nb.lesson_ids())
    lessons: dict[str, str] = {}
    for lesson_id, body in sorted(lesson_texts.items()):
        label = f"{folder}/{lesson_id}.{language}.md"
        if lesson_id not in lesson_ids:
            problems.append(Problem(label, None, "not_a_lesson", {"file": MODULE_FILE}))
            continue
        problems += markdown_problems(body, label)
        if len(body) > MAX_LESSON_CHARS:
            problems.append(Problem(label, None, "text_too_long", {"max": MAX_LESSON_CHARS}))
        elif not body.strip():
            problems.append(Problem(label, None, "lesson_without_text"))
        lessons[lesson_id] = body
    if guide_text is not None:
        guide_label = f"{folder}/{twin_name(nb.meta.guide or 'guide.md', language)}"
        if not nb.meta.guide:
            problems.append(Problem(guide_label, None, "guide_without_nb"))
        problems += markdown_problems(guide_text, guide_label)
    if problems:
        raise ContentError(problems)
    return ModuleTranslation(language=language, meta=meta, lessons=lessons, guide=guide_text)


def load_module_translations(folder: Path, label: str, nb: Module) -> tuple[dict[str, ModuleTranslation],
                                                                             list[Problem]]:
    """Every language's twin files in a module folder, and the problems found in them."""
    problems: list[Problem] = []
    texts: dict[str, dict[str, str]] = {}
    metas: dict[str, str] = {}
    guide_stem = (nb.meta.guide or "guide.md").removesuffix(".md")
    guides: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        stem, language = split_language(path.name.rsplit(".", 1)[0])
        if language is None or not path.is_file():
            continue
        file_label = f"{label}/{path.name}"
        if language not in TRANSLATED_LANGUAGES:
            problems.append(unknown_language(file_label, language))
            continue
        if path.name == twin_name(MODULE_FILE, language):
            metas[language] = _read(path, file_label)
        elif path.suffix == ".md" and stem == guide_stem:
            guides[language] = _read(path, file_label)
        elif path.suffix == ".md":
            texts.setdefault(language, {})[stem] = _read(path, file_label)
        else:
            problems.append(Problem(file_label, None, "unknown_twin_file"))
    out: dict[str, ModuleTranslation] = {}
    for language in sorted(set(texts) | set(guides) | set(metas)):
        if language not in metas:
            name = twin_name(MODULE_FILE, language)
            problems.append(Problem(f"{label}/{name}", None, "twin_meta_missing", {"file": name, "language": language}))
            continue
        try:
            out[language] = parse_module_translation(language, metas[language], texts.get(language, {}),
                                                     guides.get(language), nb, label)
        except ContentError as exc:
            problems += exc.problems
    return out, problems


# --- what the learner sees ------------------------------------------------------------
def translation_fits(module: Module, twin: ModuleTranslation) -> bool:
    """The twin translates this very version and lesson list (a newer bokmål version shows bokmål)."""
    return twin.meta.version == module.version and [lesson.id for lesson in twin.meta.lessons] == module.lesson_ids()


def localize_module(module: Module, twin: ModuleTranslation | None) -> Module:
    """The module in the twin's language, each text from bokmål where it is not translated."""
    if twin is None or not translation_fits(module, twin):
        return module
    titles = {lesson.id: lesson.title for lesson in twin.meta.lessons}
    lessons = [Lesson(id=lesson.id, title=titles[lesson.id], body=twin.lessons.get(lesson.id, lesson.body))
               for lesson in module.lessons]
    meta = module.meta.model_copy(update={"title": twin.meta.title, "description": twin.meta.description,
                                          "sources": twin.meta.sources, "lessons": twin.meta.lessons})
    return Module(meta=meta, lessons=lessons, guide=twin.guide if twin.guide is not None else module.guide)


def localize_quiz(quiz: Quiz, twin: Quiz | None) -> Quiz:
    """The scenario in the twin's language when the twin matches this version, else bokmål."""
    return twin if twin is not None and same_quiz_structure(quiz, twin) else quiz
