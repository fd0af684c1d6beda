"""Quality hints while writing: readability of a lesson, design of a scenario (``content/lint.py``).

Hints, not errors: nothing here stops a save or a review; they say what the content
review would ask for, while the author can still change it.
"""

from __future__ import annotations

import streamlit as st

from learning.content.lint import (
    MAX_LIX,
    MAX_WORDS,
    MIN_WORDS,
    full_score_is_longest,
    lesson_stats,
    quiz_design_findings,
)
from learning.content.models import Quiz
from learning.i18n import t

LONG_SENTENCE = 20  # words; a sentence longer than this is hard to read aloud


def lesson_hints(body: str) -> None:
    """LIX, word count and the longest sentence of one lesson, each with its aim."""
    stats = lesson_stats(body, "")
    if not stats.words:
        return
    with st.container(border=True):
        st.markdown(t("hint.lesson_title"))
        lix, words, longest = st.columns(3)
        lix.metric(t("hint.lix"), f"{stats.lix:.0f}", help=t("hint.lix_help", max=MAX_LIX))
        words.metric(t("hint.words"), stats.words, help=t("hint.words_help", min=MIN_WORDS, max=MAX_WORDS))
        longest.metric(t("hint.longest"), stats.longest_sentence, help=t("hint.longest_help", n=LONG_SENTENCE))
        notes = []
        if stats.lix > MAX_LIX:
            notes.append(t("hint.lix_high", lix=f"{stats.lix:.0f}", max=MAX_LIX))
        if stats.words < MIN_WORDS:
            notes.append(t("hint.words_few", n=stats.words, min=MIN_WORDS))
        elif stats.words > MAX_WORDS:
            notes.append(t("hint.words_many", n=stats.words, max=MAX_WORDS))
        if stats.longest_sentence > LONG_SENTENCE:
            notes.append(t("hint.sentence_long", n=stats.longest_sentence))
        st.markdown("\n".join(f"- {note}" for note in notes) if notes else t("hint.lesson_fine"))


def scenario_notes(quiz: Quiz) -> list[str]:
    """The scenario lint rules as plain hints, by step where they are about one step."""
    notes = []
    for n, step in enumerate(quiz.steps, start=1):
        name = step.title or step.id
        if full_score_is_longest(step):
            notes.append(t("hint.longest_answer", n=n, name=name))
        untagged = sum(1 for c in step.choices if not c.tags)
        if untagged:
            notes.append(t("hint.untagged", n=n, name=name, count=untagged))
    findings = dict(quiz_design_findings(quiz))
    for rule, key in (("longest_best", "hint.longest_share"), ("one_right", "hint.one_right_answer")):
        if rule in findings:
            notes.append(t(key, **findings[rule]))
    if not any(c.critical for step in quiz.steps for c in step.choices):
        notes.append(t("hint.no_critical"))
    if "no_pass_path" in findings:
        notes.append(t("hint.short_path", **findings["no_pass_path"]))
    return notes


def scenario_hints(quiz: Quiz | None) -> None:
    """The hints for a scenario that validates (before that, the checklist comes first)."""
    if quiz is None:
        return
    notes = scenario_notes(quiz)
    with st.expander(t("hint.scenario_title", n=len(notes)), icon=":material/lightbulb:"):
        st.caption(t("hint.scenario_help"))
        st.markdown("\n".join(f"- {note}" for note in notes) if notes else t("hint.scenario_fine"))
