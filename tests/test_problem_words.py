"""Problems said in the author's words: the form's names, every code in every language."""

from __future__ import annotations

import pytest

from learning.content.bundle import check_quiz, quiz_path
from learning.content.problems import Problem
from learning.i18n import catalog, using_language
from learning.services.authoring import new_quiz_data, quiz_files
from learning.ui.problem_words import say

pytestmark = pytest.mark.tinydb_only

CODES = {"empty", "missing", "not_slug", "too_long", "too_few", "too_many", "not_int", "too_small", "too_big",
         "not_choice", "unknown_field", "invalid", "duplicate_step", "unknown_step", "unreachable", "loop",
         "critical_reason_missing", "reason_without_critical", "critical_points", "critical_next", "all_critical",
         "duplicate_lesson", "unknown_quiz"}


def new_draft_problems() -> list[Problem]:
    _, problems = check_quiz(quiz_files("ny", new_quiz_data("ny", "Ny")), "ny")
    return problems


def test_a_new_scenario_draft_is_said_with_the_form_names():
    said = [say(p) for p in new_draft_problems()]
    assert "Steg 1, valg 2: tilbakemelding mangler" in said
    assert "Steg 1, valg 1: hva du gjør mangler" in said
    assert "Innledning mangler" in said and "Tjeneste mangler" in said
    assert not any("steps[" in s or "kan ikke være tom" in s for s in said)
    # The file's own message is still there for the command line.
    assert any(str(p).startswith(quiz_path("ny")) and "steps[0].choices[1].feedback" in str(p)
               for p in new_draft_problems())


@pytest.mark.parametrize(("language", "expected"), [("nn", "Steg 1, val 2: tilbakemelding manglar"),
                                                    ("en", "Step 1, choice 2: feedback is missing")])
def test_the_same_problem_in_nynorsk_and_english(language, expected):
    with using_language(language):
        assert expected in [say(p) for p in new_draft_problems()]


def test_beside_the_field_the_place_is_left_out():
    problem = next(p for p in new_draft_problems() if p.loc == ("steps", 0, "choices", 1, "feedback"))
    assert say(problem, with_place=False) == "Tilbakemelding mangler"


def test_branch_problems_are_said_plainly():
    data = new_quiz_data("ny", "Ny")
    data["steps"][0]["choices"][0]["next"] = "borte"
    _, problems = check_quiz(quiz_files("ny", data), "ny")
    assert "Steg 1, valg 1: neste steg finnes ikke lenger. Velg et annet" in [say(p) for p in problems]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_problem_code_has_words(language):
    keys = catalog(language)
    assert {f"write_problem.{code}" for code in CODES} <= set(keys)
