"""Lint rules: each one catches a bad example and lets a good one through."""

from __future__ import annotations

from pathlib import Path

import pytest

from learning.content.lint import (
    _AVOID_TEXT,
    copied_runs,
    ngram_keys,
    quiz_design_problems,
    seed_ngrams,
    text_problems,
    wording_problems,
)
from learning.content.models import Choice, Quiz, Step
from learning.i18n import t

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def choice(words: int, points: int, **extra) -> Choice:
    return Choice(text=" ".join(["ord"] * words), feedback="Svar.", points=points, tags=["lytter"], **extra)


def linear_quiz(steps: list[list[Choice]]) -> Quiz:
    """A scenario whose choices all lead to the next step; the last step ends it."""
    built = []
    for n, choices in enumerate(steps):
        nxt = f"s{n + 1}" if n + 1 < len(steps) else None
        built.append(Step(id=f"s{n}", text="Hva gjør du?",
                          choices=[c.model_copy(update={"next": None if c.critical else nxt}) for c in choices]))
    return Quiz(id="q", title="Q", intro="Oppdiktet.", setting="skole", pass_percent=70, steps=built)


def problems_with(quiz: Quiz, phrase: str) -> list[str]:
    return [p for p in quiz_design_problems(quiz) if phrase in p]


def test_full_score_choice_longest_in_too_many_steps():
    bad = linear_quiz([[choice(20, 3), choice(8, 2), choice(6, 0)] for _ in range(6)])
    assert problems_with(bad, "det lengste i 6 av 6 steg")
    good = linear_quiz([[choice(8, 3), choice(20, 2), choice(9, 0)] for _ in range(6)])
    assert not problems_with(good, "det lengste")


def test_every_step_scored_3_1_0_with_one_good_choice():
    bad = linear_quiz([[choice(8, 3), choice(8, 1), choice(8, 0)] for _ in range(6)])
    assert problems_with(bad, "forsvarlig alternativ")
    two_of_three = [[choice(8, 3), choice(8, 2), choice(8, 0)]] * 2 + [[choice(8, 3), choice(8, 1), choice(8, 0)]] * 4
    assert not problems_with(linear_quiz(two_of_three), "forsvarlig alternativ")


def test_a_scenario_nobody_can_pass_with_five_decisions():
    short = linear_quiz([[choice(8, 3), choice(8, 2)] for _ in range(4)])
    assert problems_with(short, "ingen vei")
    # Five steps, but at two of them the only choice with points is a critical mistake: no passing way through.
    blocked = [[choice(8, 3), choice(8, 2)]] * 5
    blocked[1] = blocked[2] = [choice(8, 3, critical=True, critical_reason="Regel."), choice(8, 0)]
    assert problems_with(linear_quiz(blocked), "ingen vei")
    assert not problems_with(linear_quiz([[choice(8, 3), choice(8, 2)] for _ in range(5)]), "ingen vei")


@pytest.mark.parametrize("pattern,advice", _AVOID_TEXT)
def test_each_wording_to_avoid_is_caught(pattern, advice):
    examples = {
        r"\bhar lov å\b": "Du har lov å si nei.",
        r"\bikke lov å holde\b": "Ikke lov å holde det hemmelig.",
        r"\bforank\b": "Vi må forank planen.",
        r"\bbook(e|er)? et rom\b": "Book et rom til møtet.",
        r"\bta barnets blikk\b": "Ta barnets blikk når du leser.",
        r"\bbarnevernvakt": "Ring barnevernvakten.",
        r"\bavvergeplikt": "Avvergeplikten gjelder alle.",
        r"\bbarneverntjenest": "Kontakt barneverntjenesten.",
        r"\btatt på senga\b": "Hun ble tatt på senga.",
        r"\butager": "Gutten utagerer i timen.",
        r"\bbarnets beste skal alltid komme først\b": "Barnets beste skal alltid komme først.",
    }
    found = wording_problems(examples[pattern])
    assert found and t(advice) in found[0]  # advice: its catalog key
    assert wording_problems("Du har lov til å si nei. Ring barnevernsvakten.") == []


def test_a_run_of_eight_words_from_the_sources_is_caught():
    source = frozenset(ngram_keys("Barn skal få vite hva som skjer med det de forteller til en voksen."))
    assert copied_runs("Alle barn skal få vite hva som skjer med det de forteller.", source) == 4  # 11 shared words
    assert copied_runs("Barn skal få vite hva som skjer videre.", source) == 0  # seven words in a row


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts are in shared/, beside the checkout")
def test_stored_run_hashes_match_the_seed_texts():
    keys: set[str] = set()
    for path in sorted(SEEDS.glob("*")):
        if path.is_file():
            keys |= ngram_keys(path.read_text(encoding="utf-8"))
    assert seed_ngrams() == keys, "run: python scripts/seed_ngrams.py ../shared/seeds/*"


def test_module_description_and_sources_are_held_to_lix_40(fixture_content):
    module = fixture_content.modules["prove-modul"]
    heavy = "Kommunesektorens kompetanseutviklingsprogrammer kvalitetssikres gjennomgående systematisk."
    worse = module.model_copy(update={"meta": module.meta.model_copy(update={"description": heavy})})
    assert any("description: LIX" in p for p in text_problems(worse, None))
    assert not any("description: LIX" in p for p in text_problems(module, None))


def test_wording_in_quiz_feedback_and_critical_reason_is_linted(fixture_content):
    module = fixture_content.modules["prove-modul"]
    quiz = fixture_content.quizzes["prove-quiz"]
    step = quiz.steps[2]
    bad = step.choices[2].model_copy(update={"critical_reason": "Ring barnevernvakten med en gang."})
    quiz = quiz.model_copy(update={"steps": [*quiz.steps[:2], step.model_copy(
        update={"choices": [*step.choices[:2], bad]})]})
    assert any("svar 3" in p and "barnevernsvakt" in p for p in text_problems(module, quiz))
