"""Readable changes: per part and field, with step names instead of ids."""

from __future__ import annotations

import pytest

from learning.content.bundle import Kind, quiz_path
from learning.content.changes import changes, word_diff
from learning.services.authoring import new_quiz_data, quiz_files
from learning.ui.change_view import change_html

pytestmark = pytest.mark.tinydb_only


def scenario(feedback: str, next_step: str | None = None) -> dict:
    data = new_quiz_data("ny", "Ny")
    data["steps"][0]["title"] = "Mia sitter alene"
    data["steps"][0]["choices"][0]["feedback"] = feedback
    data["steps"].append({"id": "etterpa", "title": "Etterpå", "text": "Klokka ringer.",
                          "choices": [{"text": "a", "feedback": "b", "points": 1}]})
    if next_step:
        data["steps"][0]["choices"][0]["next"] = next_step
    return data


def test_a_change_names_the_step_the_choice_and_the_field():
    old = quiz_files("ny", scenario("Mia merker at du ser henne."))
    new = quiz_files("ny", scenario("Mia merker at du ser henne og blir glad.", "etterpa"))
    found = changes(Kind.QUIZ, "ny", old, new)
    assert [(c.where, c.field) for c in found] == [
        ((("step", (1, "Mia sitter alene")), ("choice", 1)), "feedback"),
        ((("step", (1, "Mia sitter alene")), ("choice", 1)), "next")]
    assert (found[1].old, found[1].new) == ("Slutt (scenarioet er ferdig)", "Steg 2: Etterpå")


def test_words_are_marked_by_strike_and_underline_with_words_for_screen_readers():
    assert word_diff("Mia merker det.", "Mia merker det godt.") == [
        ("same", "Mia merker "), ("removed", "det."), ("added", "det godt.")]
    html = change_html(changes(Kind.QUIZ, "ny", quiz_files("ny", scenario("Et <b>fett</b> svar.")),
                               quiz_files("ny", scenario("Et annet svar."))))
    assert '<del><span class="chg-sr">fjernet: </span>&lt;b&gt;fett&lt;/b&gt;</del>' in html  # escaped
    assert '<ins><span class="chg-sr">lagt til: </span>annet</ins>' in html
    assert "Før" in html and "Nå" in html and quiz_path("ny") not in html


def test_nothing_changed_is_no_change():
    files = quiz_files("ny", scenario("Samme."))
    assert changes(Kind.QUIZ, "ny", files, dict(files)) == []
