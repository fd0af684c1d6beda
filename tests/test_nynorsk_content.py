"""Every module is in nynorsk throughout, and every nynorsk text is easy to read (LIX <= 40).

The app falls back to bokmål per file, so a missing twin never breaks anything; this test is
what notices it. Spelling is checked in ``tests/test_spelling_nn.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from learning.content.catalog import ContentCatalog, load_catalog
from learning.content.lint import MAX_LIX, learner_texts, lesson_stats
from learning.content.translations import translation_fits

ROOT = Path(__file__).resolve().parent.parent
CATALOG = load_catalog(ROOT)
NYNORSK = CATALOG.in_language("nn")
MODULE_IDS = sorted(CATALOG.modules)

pytestmark = pytest.mark.tinydb_only


def missing_nynorsk_files(catalog: ContentCatalog, module_id: str) -> list[str]:
    """The nynorsk files a module lacks, or has but the loader turned down (wrong structure or version)."""
    module = catalog.modules[module_id]
    folder = f"modules/{module_id}"
    twin = catalog.module_translations.get(module_id, {}).get("nn")
    if twin is None or not translation_fits(module, twin):
        return [f"{folder}/module.nn.yaml"]
    missing = [f"{folder}/{lesson_id}.nn.md" for lesson_id in module.lesson_ids() if lesson_id not in twin.lessons]
    if module.guide and twin.guide is None:
        missing.append(f"{folder}/guide.nn.md")
    quiz_id = module.meta.quiz
    if quiz_id:
        quiz_twin = catalog.quiz_translations.get(quiz_id, {}).get("nn")
        if quiz_twin is None or catalog.in_language("nn").quizzes[quiz_id] is not quiz_twin:
            missing.append(f"quizzes/{quiz_id}.nn.yaml")
    return missing


def test_the_repository_content_loads_without_problems():
    assert [str(problem) for problem in CATALOG.problems] == []


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_every_module_has_every_nynorsk_file(module_id):
    assert missing_nynorsk_files(CATALOG, module_id) == []


def test_a_missing_twin_is_named(tmp_path):
    """The check above can fail: a copy of the content without one module's twins, one by one."""
    for part in ("modules", "quizzes"):
        shutil.copytree(ROOT / part, tmp_path / part)
    module = CATALOG.modules[MODULE_IDS[0]]
    folder = tmp_path / "modules" / module.id
    lesson_twin = f"{module.lesson_ids()[0]}.nn.md"
    (folder / lesson_twin).unlink()
    (folder / "guide.nn.md").unlink()
    (tmp_path / "quizzes" / f"{module.meta.quiz}.nn.yaml").unlink()
    assert missing_nynorsk_files(load_catalog(tmp_path), module.id) == [
        f"modules/{module.id}/{lesson_twin}", f"modules/{module.id}/guide.nn.md",
        f"quizzes/{module.meta.quiz}.nn.yaml"]
    (folder / "module.nn.yaml").unlink()
    assert missing_nynorsk_files(load_catalog(tmp_path), module.id) == [f"modules/{module.id}/module.nn.yaml"]


def nynorsk_texts(module_id: str) -> dict[str, str]:
    """What a learner or facilitator reads in nynorsk: each lesson, the guide and the whole scenario."""
    module = NYNORSK.modules[module_id]
    quiz = NYNORSK.quizzes.get(module.meta.quiz or "")
    texts = {f"{lesson.id}.nn.md": lesson.body for lesson in module.lessons}
    texts["guide.nn.md"] = module.guide or ""
    scenario = [text for where, text in learner_texts(module, quiz) if where.startswith("quiz ")]
    texts[f"quizzes/{module.meta.quiz}.nn.yaml"] = "\n\n".join(scenario)
    return texts


@pytest.mark.parametrize("module_id", MODULE_IDS)
def test_every_nynorsk_text_has_lix_at_most_40(module_id):
    over = {where: round(stats.lix, 1) for where, text in nynorsk_texts(module_id).items()
            if (stats := lesson_stats(text, where)).lix > MAX_LIX}
    assert over == {}
