"""Readability lint for lessons: LIX, word count, longest sentence.

LIX = words per sentence + 100 * share of words longer than six letters.
Headings, list items and paragraphs each end a sentence, as a reader sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from learning.content.models import Module, Quiz

MAX_LIX = 40
MIN_WORDS, MAX_WORDS = 300, 900
MIN_LESSONS, MAX_LESSONS = 3, 6
MIN_QUIZ_STEPS = 5
WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+(?:[.,]\d+)*")
SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")
_md = MarkdownIt("commonmark")


def text_blocks(markdown: str) -> list[str]:
    """Plain text of each paragraph, heading and list item, callout markers dropped."""
    cleaned = "\n".join("" if line.strip().startswith(":::") else line for line in markdown.splitlines())
    return [tok.content for tok in _md.parse(cleaned) if tok.type == "inline" and tok.content.strip()]


def sentences(markdown: str) -> list[list[str]]:
    out: list[list[str]] = []
    for block in text_blocks(markdown):
        for part in SENTENCE_END.split(block):
            words = WORD.findall(part)
            if words:
                out.append(words)
    return out


@dataclass(frozen=True)
class LessonStats:
    label: str
    words: int
    sentences: int
    long_words: int
    longest_sentence: int

    @property
    def lix(self) -> float:
        if not self.words:
            return 0.0
        return self.words / max(self.sentences, 1) + 100 * self.long_words / self.words


def lesson_stats(markdown: str, label: str) -> LessonStats:
    parts = sentences(markdown)
    words = [w for sentence in parts for w in sentence]
    return LessonStats(
        label=label,
        words=len(words),
        sentences=len(parts),
        long_words=sum(1 for w in words if len(w) > 6),
        longest_sentence=max((len(s) for s in parts), default=0),
    )


def lesson_problems(stats: LessonStats, markdown: str) -> list[str]:
    problems = []
    if stats.lix > MAX_LIX:
        problems.append(f"LIX {stats.lix:.0f} er over {MAX_LIX}")
    if not MIN_WORDS <= stats.words <= MAX_WORDS:
        problems.append(f"{stats.words} ord er utenfor {MIN_WORDS}–{MAX_WORDS}")
    for name, label in (("råd", "Råd fra barn"), ("refleksjon", "Refleksjon")):
        if not re.search(rf"^\s*:::\s*{name}\s*$", markdown, re.MULTILINE):
            problems.append(f"mangler boksen «{label}» (::: {name})")
    return problems


def module_problems(module: Module, quiz: Quiz | None) -> list[str]:
    problems = []
    if not MIN_LESSONS <= len(module.lessons) <= MAX_LESSONS:
        problems.append(f"{len(module.lessons)} leksjoner er utenfor {MIN_LESSONS}–{MAX_LESSONS}")
    if quiz is None:
        problems.append("mangler scenario-quiz")
    elif len(quiz.steps) < MIN_QUIZ_STEPS:
        problems.append(f"quizen har {len(quiz.steps)} steg, minst {MIN_QUIZ_STEPS} trengs")
    if not module.guide:
        problems.append("mangler fasilitatorguide (guide)")
    return problems
