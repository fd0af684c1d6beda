"""A content problem said in plain words, naming the field as the editor's form does.

The loader's problems carry where they are (``loc``) and a code with values; this turns
them into "Steg 1, valg 2: tilbakemelding mangler" in the author's language. A problem
the form has no words for (a callout in a lesson text, say) is the problem's own text.
No Streamlit here: the editors and the tests share it.
"""

from __future__ import annotations

from dataclasses import replace

from learning.content.problems import Problem
from learning.i18n import catalog, t

FIELDS = {"title", "intro", "setting", "pass_percent", "steps", "id", "text", "choices", "feedback", "points",
          "next", "tags", "critical", "critical_reason", "description", "service_areas", "minutes", "quiz",
          "sources", "lessons", "body", "guide", "version", "short_title", "audience"}
# The field a code is really about, when the loader names another (the box, not the missing reason).
FIELD_OF_CODE = {"critical_reason_missing": "critical_reason"}
# Problem codes the form says in words it has for another code.
EDITOR_CODES = {"empty_lesson": "empty", "not_text": "invalid", "not_list": "invalid", "not_mapping": "invalid",
                "not_bool": "invalid"}


CONTEXT_FIELDS = {"steps_text", "steps_title", "choices_text", "lessons_title", "lessons_id"}


def where(loc: tuple) -> tuple[str, str]:
    """("Steg 1, valg 2", "choices_feedback") from ("steps", 0, "choices", 1, "feedback").

    The field comes with the part it is in where the form names it differently there
    (a step's text is «Hva skjer», a choice's text «Hva du gjør»).
    """
    parts: list[str] = []
    field = ""
    context = ""
    items = list(loc)
    k = 0
    while k < len(items):
        part = items[k]
        nxt = items[k + 1] if k + 1 < len(items) else None
        if part in ("steps", "choices", "lessons") and isinstance(nxt, int):
            parts.append(t(f"write_where.{part}", n=nxt + 1))
            context = part
            k += 2
            continue
        if isinstance(part, str):
            field = part
        k += 1
    place = ", ".join(parts)
    if f"{context}_{field}" in CONTEXT_FIELDS:
        field = f"{context}_{field}"
    return (place[:1].upper() + place[1:]) if place else "", field


def field_label(field: str) -> str:
    return t(f"write_field.{field}") if field in FIELDS or field in CONTEXT_FIELDS else field


def has_form_words(problem: Problem) -> bool:
    """A problem with a field the form names (``write_problem.*``), not one in the text of a file."""
    return f"write_problem.{EDITOR_CODES.get(problem.code, problem.code)}" in catalog()


def say(problem: Problem, *, with_place: bool = True) -> str:
    """The problem in the author's words; ``with_place=False`` beside the field it is about.

    A code the form has its own words for (``write_problem.*``) is said with the form's
    field name; any other is the problem's own text in the author's language. A problem
    in a lesson's text file, placed at that lesson, names its line ("linje 3: ...").
    """
    if not problem.loc:
        return problem.message
    place, field = where(problem.loc)
    editor_code = EDITOR_CODES.get(problem.code, problem.code)
    if has_form_words(problem):
        field = FIELD_OF_CODE.get(editor_code, field)
        what = t(f"write_problem.{editor_code}", field=field_label(field).lower(), **problem.said_params())
    else:
        what = problem.text()
        if problem.line and problem.path.endswith(".md"):
            what = t("write_where.line", n=problem.line) + ": " + what
    if with_place and place:
        return f"{place}: {what}"
    return what[:1].upper() + what[1:]


def placed_at_lessons(problems: list[Problem], lesson_paths: list[str]) -> list[Problem]:
    """Problems in a lesson's text file, placed at that lesson (``lesson_paths`` in lesson order), so
    ``say`` reads "Leksjon 2: linje 3: ..."; problems with a place of their own stay where they are."""
    index = {path: i for i, path in enumerate(lesson_paths)}
    return [replace(problem, loc=("lessons", index[problem.path], "body"))
            if not problem.loc and problem.path in index else problem for problem in problems]
