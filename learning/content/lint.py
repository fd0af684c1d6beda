"""Content lint: readability of lessons, quiz design, wording and copying from the sources.

Findings are said from the catalog (``[lint]`` in ``locales/*/problems.toml``) in the
current language: the command line's ``--language``, else bokmål.

Readability: LIX, word count, longest sentence.

LIX = words per sentence + 100 * share of words longer than six letters.
Headings, list items and paragraphs each end a sentence, as a reader sees them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt

from learning.content.graph import path_passes, paths
from learning.content.models import Module, Quiz, Step
from learning.i18n import t

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
        problems.append(t("lint.lix_high", lix=f"{stats.lix:.0f}", max=MAX_LIX))
    if not MIN_WORDS <= stats.words <= MAX_WORDS:
        problems.append(t("lint.words_outside", n=stats.words, min=MIN_WORDS, max=MAX_WORDS))
    for name, label in (("råd", "render.callout_advice"), ("refleksjon", "render.callout_reflection")):
        if not re.search(rf"^\s*:::\s*{name}\s*$", markdown, re.MULTILINE):
            problems.append(t("lint.box_missing", label=t(label), name=name))
    return problems


def module_problems(module: Module, quiz: Quiz | None) -> list[str]:
    problems = []
    if not MIN_LESSONS <= len(module.lessons) <= MAX_LESSONS:
        problems.append(t("lint.lessons_outside", n=len(module.lessons), min=MIN_LESSONS, max=MAX_LESSONS))
    if quiz is None:
        problems.append(t("lint.no_quiz"))
    elif len(quiz.steps) < MIN_QUIZ_STEPS:
        problems.append(t("lint.quiz_short", n=len(quiz.steps), min=MIN_QUIZ_STEPS))
    if not module.guide:
        problems.append(t("lint.no_guide"))
    return problems


# --- quizzes: no shortcut to a pass ------------------------------------------------
MAX_LONGEST_SHARE = 1 / 3
MIN_VARIED_SHARE = 1 / 4
MIN_PASSING_DECISIONS = 5


def _words(text: str) -> int:
    return len(WORD.findall(text))


def full_score_is_longest(step: Step) -> bool:
    """A full-score choice is strictly longer (in words) than every other choice at the step."""
    best = step.max_points
    longest = max(_words(c.text) for c in step.choices)
    lengths = [_words(c.text) for c in step.choices]
    return lengths.count(longest) == 1 and any(
        c.points == best and _words(c.text) == longest for c in step.choices)


def has_defensible_alternative(step: Step) -> bool:
    """A second choice with full points, or one with at least two thirds of them (2 of 3)."""
    best = step.max_points
    ranked = sorted((c.points for c in step.choices), reverse=True)
    return best > 0 and len(ranked) > 1 and 3 * ranked[1] >= 2 * best


def quiz_design_findings(quiz: Quiz) -> list[tuple[str, dict[str, int]]]:
    """Which scenario design rules ``quiz`` breaks, each with its figures: ``longest_best``,
    ``one_right``, ``no_pass_path``. The lint and the editor's hints say them in their own words."""
    findings: list[tuple[str, dict[str, int]]] = []
    steps = len(quiz.steps)
    longest = sum(full_score_is_longest(step) for step in quiz.steps)
    if longest > steps * MAX_LONGEST_SHARE:
        findings.append(("longest_best", {"n": longest, "steps": steps}))
    varied = sum(has_defensible_alternative(step) for step in quiz.steps)
    if varied < steps * MIN_VARIED_SHARE:
        findings.append(("one_right", {"n": varied, "steps": steps}))
    if not any(len(p) >= MIN_PASSING_DECISIONS for p in paths(quiz) if path_passes(quiz, p)):
        findings.append(("no_pass_path", {"n": MIN_PASSING_DECISIONS}))
    return findings


def quiz_design_problems(quiz: Quiz) -> list[str]:
    """Patterns that let a learner pass without thinking, and a scenario nobody can pass well."""
    return [t(f"lint.{rule}", **values) for rule, values in quiz_design_findings(quiz)]


# --- all learner-facing text: wording and copying ------------------------------------
_AVOID_TEXT = (
    (r"\bhar lov å\b", "lint.avoid.har_lov"),
    (r"\bikke lov å holde\b", "lint.avoid.ikke_lov"),
    (r"\bforank\b", "lint.avoid.forank"),
    (r"\bbook(e|er)? et rom\b", "lint.avoid.book"),
    (r"\bta barnets blikk\b", "lint.avoid.blikk"),
    (r"\bbarnevernvakt", "lint.avoid.vakt"),
    (r"\bavvergeplikt", "lint.avoid.avverging"),
    (r"\bbarneverntjenest", "lint.avoid.tjeneste"),
    (r"\btatt på senga\b", "lint.avoid.senga"),
    (r"\butager", "lint.avoid.utager"),
    (r"\bbarnets beste skal alltid komme først\b", "lint.avoid.beste"),
)
AVOID = tuple((re.compile(pattern, re.IGNORECASE), advice) for pattern, advice in _AVOID_TEXT)
"""Wording the content review asked to change: (pattern, catalog key of what to write instead)."""


def wording_problems(text: str) -> list[str]:
    return [f"«{m.group(0)}»: {t(advice)}" for pattern, advice in AVOID for m in pattern.finditer(text)]


SEED_RUN = 8
SEED_NGRAMS_FILE = Path(__file__).with_name("seed_ngrams.txt")


def _normal_words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def ngram_key(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:16]


def ngram_keys(text: str, size: int = SEED_RUN) -> set[str]:
    words = _normal_words(text)
    return {ngram_key(words[i:i + size]) for i in range(len(words) - size + 1)}


@cache
def seed_ngrams() -> frozenset[str]:
    """Hashes of every 8-word run in the source texts (``scripts/seed_ngrams.py`` writes them)."""
    lines = SEED_NGRAMS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def copied_runs(text: str, ngrams: frozenset[str] | None = None) -> int:
    """How many 8-word runs of ``text`` stand word for word in the source texts."""
    return len(ngram_keys(text) & (seed_ngrams() if ngrams is None else ngrams))


def learner_texts(module: Module, quiz: Quiz | None) -> list[tuple[str, str]]:
    """(where, text) for everything a learner or a facilitator reads."""
    out = [("module.yaml: title", module.meta.title), ("module.yaml: description", module.meta.description),
           ("module.yaml: sources", module.meta.sources)]
    out += [(f"{lesson.id}.md", f"{lesson.title}\n\n{lesson.body}") for lesson in module.lessons]
    if module.guide:
        out.append(("guide", module.guide))
    if quiz is not None:
        out += [(f"quiz {quiz.id}: title", quiz.title), (f"quiz {quiz.id}: intro", quiz.intro)]
        for step in quiz.steps:
            out.append((f"quiz {quiz.id}: {t('lint.where_step', id=step.id)}", step.text))
            for n, choice in enumerate(step.choices, start=1):
                parts = [choice.text, choice.feedback, choice.critical_reason or ""]
                out.append((f"quiz {quiz.id}: {t('lint.where_choice', id=step.id, n=n)}", "\n".join(parts)))
    return out


def text_problems(module: Module, quiz: Quiz | None) -> list[str]:
    """Wording to avoid and runs copied from the sources, in every learner-facing text; LIX of the meta texts."""
    problems = []
    for where, text in learner_texts(module, quiz):
        problems += [f"{where}: {p}" for p in wording_problems(text)]
        copied = copied_runs(text)
        if copied:
            problems.append(f"{where}: {t('lint.copied', n=copied, size=SEED_RUN)}")
    for field in ("description", "sources"):
        stats = lesson_stats(getattr(module.meta, field), f"module.yaml: {field}")
        if stats.lix > MAX_LIX:
            problems.append(f"{stats.label}: {t('lint.lix_high', lix=f'{stats.lix:.0f}', max=MAX_LIX)}")
    return problems
