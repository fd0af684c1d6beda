"""Content problems are codes and values said from the catalog, in bokmål, nynorsk or English.

A problem is never a finished sentence: every place that makes one names a code that
``locales/*/problems.toml`` has, and the same problem reads in the reader's language
(the command line's ``--language``, the author's language in the app).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from learning.__main__ import main
from learning.content.bundle import Kind
from learning.content.loader import markdown_problems, parse_quiz
from learning.content.problems import PREFIX, ContentError, Problem
from learning.i18n import Language, catalog, using_language
from learning.services.accounts import AccountService
from learning.ui.problem_words import say

from .apptest_helpers import goto, values
from .conftest import FIXTURE_CONTENT
from .test_app_authoring import create
from .test_app_authoring_write import author_app
from .test_app_authoring_write import people as people  # a fixture

pytestmark = pytest.mark.tinydb_only

ROOT = Path(__file__).resolve().parents[1] / "learning"
GOOD_QUIZ = (FIXTURE_CONTENT / "quizzes" / "prove-quiz.yaml").read_text(encoding="utf-8")
BAD_QUIZ = GOOD_QUIZ.replace("next: alvor", "next: finnes-ikke", 1)  # unknown step, so «alvor» is unreachable


def bad_quiz_problems() -> list[Problem]:
    with pytest.raises(ContentError) as info:
        parse_quiz(BAD_QUIZ, "quizzes/x.yaml")
    return info.value.problems


def test_a_problem_without_a_known_code_cannot_be_made():
    with pytest.raises(ValueError, match="problem code"):
        Problem("quizzes/x.yaml", 1, "")
    with pytest.raises(ValueError, match="problems.toml"):
        Problem("quizzes/x.yaml", 1, "filen mangler")  # a sentence is no code


def _code_arguments() -> list[tuple[str, int, ast.expr | None]]:
    """(file, line, code argument) of every ``Problem(...)`` and ``YamlSyntaxError(...)`` in learning/."""
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"Problem", "YamlSyntaxError"}:
                position = 2 if node.func.id == "Problem" else 1
                code = node.args[position] if len(node.args) > position else next(
                    (k.value for k in node.keywords if k.arg == "code"), None)
                found.append((f"{path.relative_to(ROOT.parent)}", node.lineno, code))
    return found


def test_every_place_that_makes_a_problem_names_a_code_every_language_has():
    sites = _code_arguments()
    assert len(sites) > 60  # the scan sees the loader, bundle, catalog, translations and transfer
    missing = [(file, line) for file, line, code in sites if code is None]
    assert not missing, f"a Problem without a code: {missing}"
    literal = {(file, line, code.value) for file, line, code in sites if isinstance(code, ast.Constant)}
    for language in Language:
        keys = catalog(language.value)
        unknown = [(file, line, code) for file, line, code in literal if PREFIX + code not in keys]
        assert not unknown, f"{language}: codes without words: {unknown}"
    sentences = [(file, line) for file, line, code in sites if isinstance(code, ast.JoinedStr)]
    assert not sentences, f"a finished sentence in place of a code: {sentences}"


@pytest.mark.parametrize(("language", "unknown", "unreachable"), [
    ("nb", "ukjent steg «finnes-ikke»", "ingen vei fører til steget «alvor»"),
    ("nn", "ukjent steg «finnes-ikke»", "ingen veg fører til steget «alvor»"),
    ("en", "unknown step “finnes-ikke”", "no path leads to the step “alvor”"),
])
def test_a_bad_file_reads_in_each_language(language, unknown, unreachable):
    problems = bad_quiz_problems()  # made once, said in the language of the reader
    with using_language(language):
        said = [str(p) for p in problems]
    assert said == [f"quizzes/x.yaml:18: steps[0].choices[1].next: {unknown}",
                    f"quizzes/x.yaml:20: steps[1].id: {unreachable}"]


@pytest.mark.parametrize(("language", "expected"), [
    ("nb", "quizzes/x.yaml:1: pass_percent: mangler feltet «pass_percent»"),
    ("nn", "quizzes/x.yaml:1: pass_percent: manglar feltet «pass_percent»"),
    ("en", "quizzes/x.yaml:1: pass_percent: the field “pass_percent” is missing"),
])
def test_a_missing_field_reads_in_each_language(language, expected):
    with pytest.raises(ContentError) as info, using_language(language):
        parse_quiz(GOOD_QUIZ.replace("pass_percent: 70\n", ""), "quizzes/x.yaml")
    with using_language(language):
        assert [str(p) for p in info.value.problems] == [expected]


def test_words_inside_a_problem_follow_the_language_too():
    problem = markdown_problems("::: advarsel\nTekst\n:::\n", "x.md")[0]
    with using_language("en"):
        assert str(problem) == "x.md:1: unknown box “::: advarsel” (use «::: råd», «::: refleksjon»)"
    with using_language("nn"):
        assert str(problem) == "x.md:1: ukjend boks «::: advarsel» (bruk «::: råd», «::: refleksjon»)"


def test_the_editor_says_a_text_problem_in_the_authors_language():
    problem = Problem("modules/m/a.md", 3, "callout_not_closed", loc=("lessons", 1, "body"))
    with using_language("en"):
        assert say(problem) == "Lesson 2: line 3: the box is not closed with “:::”"
    assert say(problem) == "Leksjon 2: linje 3: boksen er ikke lukket med «:::»"


def _bad_folder(tmp_path: Path) -> Path:
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "x.yaml").write_text(BAD_QUIZ.replace("id: prove-quiz", "id: x"), encoding="utf-8")
    return tmp_path / "quizzes"


@pytest.mark.parametrize(("argv", "env", "expected", "summary"), [
    ([], None, "ukjent steg «finnes-ikke»", "2 problem(er) funnet."),
    (["--language", "nn"], None, "ukjent steg «finnes-ikke»", "2 problem funne."),
    (["--language", "en"], "nn", "unknown step “finnes-ikke”", "2 problem(s) found."),
    ([], "en", "unknown step “finnes-ikke”", "2 problem(s) found."),
])
def test_the_validator_prints_in_bokmal_unless_told(tmp_path, capsys, monkeypatch, argv, env, expected, summary):
    if env:
        monkeypatch.setenv("LEARNING_LANGUAGE", env)
    else:
        monkeypatch.delenv("LEARNING_LANGUAGE", raising=False)
    assert main(["validate", *argv, str(_bad_folder(tmp_path))]) == 1
    out, err = capsys.readouterr()
    assert f"x.yaml:18: steps[0].choices[1].next: {expected}" in out
    assert err.strip() == summary


def test_the_lesson_editor_says_a_text_problem_in_the_authors_language(people):
    """Through the real app: an author who chose English sees the loader's problem in English."""
    at = author_app()
    create(at, Kind.MODULE, "Se barnet", "se-barnet")
    accounts = AccountService(people)
    author = next(u for u in people.list_users() if u.username == "forf.en")
    accounts.update_profile(author, author.id, name=author.name, email=author.email or "", language="en")
    at = author_app()
    goto(at, "forfatter-leksjon")
    with using_language("en"):  # AppTest calls the page's format_func outside its run, in this thread
        at.selectbox(key="author-pick-module").set_value("se-barnet").run()
        at.text_input(key="m-l0-title").input("Bli sett")
        at.text_area(key="m-l0-body").input("Barn vil bli sett.\n\n::: råd\nSpør barnet.\n").run()
    assert not at.exception, at.exception
    notes = values(at.warning)
    assert "Line 3: the box is not closed with “:::”" in notes, notes
    assert not any("boksen" in note for note in notes), notes
