"""The repository's own modules: valid, readable, and completable in the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from learning.__main__ import main
from learning.content.catalog import load_catalog
from learning.content.lint import MAX_LIX, lesson_problems, lesson_stats
from learning.content.models import Quiz, Tag
from learning.i18n import t
from learning.records import QuizAttempt, Role
from learning.services import quiz_play
from learning.services.accounts import AccountService
from learning.ui.components import area_label
from tests.stores import open_store

from .apptest_helpers import (
    card_titles,
    catalog_cards,
    click,
    create_first_admin,
    new_app,
    page_text,
    play_quiz,
    restart_app,
    sign_in,
    values,
)
from .helpers import NOW

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(ROOT)
MODULE_IDS = sorted(CATALOG.modules)


def best_path(quiz: Quiz) -> list[int]:
    """The choice index with the most points at each step, following where it leads."""
    path, step = [], quiz.start
    while step is not None:
        index = max(range(len(step.choices)), key=lambda i: step.choices[i].points)
        path.append(index)
        nxt = step.choices[index].next
        step = quiz.step(nxt) if nxt else None
    return path


def shortest_decisions(quiz: Quiz) -> int:
    """Decisions on the shortest way through that makes no safety-critical mistake (which ends it at once)."""
    def walk(step_id: str) -> int:
        step = quiz.step(step_id)
        return 1 + min((walk(c.next) if c.next else 0) for c in step.choices if not c.critical)
    return walk(quiz.start.id)


def engine_paths(quiz: Quiz) -> list[QuizAttempt]:
    """Every finished attempt the real engine allows: each choice at each step, played out."""
    start = QuizAttempt(id="a", quiz_id=quiz.id, quiz_version=quiz.version, module_id="m", started_at=NOW)
    finished, open_attempts = [], [start]
    while open_attempts:
        attempt = open_attempts.pop()
        step = quiz_play.current_step(quiz, attempt)
        if step is None:
            finished.append(attempt)
            continue
        for index in range(len(step.choices)):
            chosen = quiz_play.choose(quiz, attempt, step.id, index)
            open_attempts.append(quiz_play.acknowledge(quiz, chosen, NOW))
    return finished


@pytest.mark.parametrize("quiz_id", sorted(CATALOG.quizzes))
def test_no_path_through_a_critical_choice_passes(quiz_id):
    quiz = CATALOG.quizzes[quiz_id]
    attempts = engine_paths(quiz)
    critical = [a for a in attempts if any(entry.critical for entry in a.path)]
    passing = [a for a in attempts if quiz_play.passed(quiz, a)]
    assert not any(quiz_play.passed(quiz, a) for a in critical)
    assert all(not quiz.step(e.step_id).choices[e.choice_index].critical for a in passing for e in a.path)
    assert max(len(a.path) for a in passing) >= 5, "a passing way through takes at least five decisions"


def test_lint_passes_on_repository_content(capsys):
    assert main(["lint"]) == 0, capsys.readouterr().out


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_module_meets_the_content_rules(module_id):
    module = CATALOG.modules[module_id]
    quiz = CATALOG.quiz_for(module)
    assert 3 <= len(module.lessons) <= 6
    for lesson in module.lessons:
        stats = lesson_stats(lesson.body, lesson.id)
        assert stats.lix <= MAX_LIX and lesson_problems(stats, lesson.body) == [], lesson.id
    assert quiz is not None and shortest_decisions(quiz) >= 5
    assert any(len({c.next for c in s.choices}) > 1 for s in quiz.steps), "the scenario branches"
    assert all(choice.tags for step in quiz.steps for choice in step.choices)
    assert module.guide and "45" in module.guide
    assert "oppdikte" in (module.meta.sources + quiz.intro).lower()


def test_every_module_has_a_short_name_in_each_language():
    """Table columns use it (at most 24 characters, so a column is not cut)."""
    for module in CATALOG.modules.values():
        assert module.meta.short_title, module.id
        for language, twin in CATALOG.module_translations.get(module.id, {}).items():
            assert twin.meta.short_title, (module.id, language)
    assert [m.id for m in CATALOG.modules.values() if m.meta.for_leaders] == ["kunnskap-fra-barn-i-styring"]


def test_modules_cover_several_services_and_one_tag_vocabulary():
    settings = {CATALOG.quiz_for(m).setting for m in CATALOG.modules.values()}
    assert len(settings) >= 3 or len(CATALOG.modules) < 4
    used = {tag for quiz in CATALOG.quizzes.values() for s in quiz.steps for c in s.choices for tag in c.tags}
    assert used <= set(Tag)


@pytest.fixture
def learner(data_dir, monkeypatch):
    monkeypatch.setenv("LEARNING_CONTENT_DIR", str(ROOT))
    create_first_admin(new_app())
    repo = open_store(data_dir)
    AccountService(repo).create_user(repo.find_user("anne"), username="kari", password="kari-passord",
                                     name="Kari", email="", municipality="0301", role=Role.LEARNER)
    return sign_in(restart_app(), "kari", "kari-passord")


def open_module(at, title: str):
    """Press the button on the catalog card with this title (cards and buttons come in the same order)."""
    index = card_titles(at).index(title)
    buttons = [b for b in at.button if b.label in ("Start modulen", "Fortsett der du slapp", "Se modulen")]
    buttons[index].click().run()
    return at


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_each_module_can_be_completed_in_the_app(learner, module_id):
    module = CATALOG.modules[module_id]
    at = learner
    areas = ", ".join(area_label(a) for a in module.meta.service_areas)
    card = next(c for c in catalog_cards(at) if c.title == module.meta.title)
    assert t("catalog.meta", areas=areas, minutes=module.meta.minutes) in card.text
    open_module(at, module.meta.title)
    assert values(at.title) == [module.meta.title]
    for lesson in module.lessons[:-1]:
        assert values(at.header)[-1] == lesson.title
        assert "Råd fra barn" in page_text(at) and "Refleksjon" in page_text(at)
        click(at, "Neste leksjon")
    click(at, "Til scenarioet")
    play_quiz(at, best_path(CATALOG.quiz_for(module)))
    assert any(s.value.startswith("Bestått") for s in at.success)
    assert any(s.value.startswith("Fullført ") for s in at.success), [s.value for s in at.success]
    assert "Fasilitatorguide for refleksjonsmøte" in [e.label for e in at.expander]
    downloads = [b.label for b in at.get("download_button")]
    assert downloads == ["Last ned for utskrift (HTML)", "Last ned som tekst (Markdown)"]
    assert "Kilder og bakgrunn" in [e.label for e in at.expander]
