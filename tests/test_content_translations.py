"""Content in several languages: twin files with the same structure as bokmål, bokmål where one is missing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from learning.content.catalog import load_catalog
from learning.content.translations import localize_module, split_language
from learning.i18n import using_language
from learning.services.published import EffectiveCatalogCache

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "content"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def content(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE, root)
    return root


def nn_module(root: Path, **changes: str) -> None:
    """A nynorsk twin of the fixture module: module.nn.yaml and the first lesson."""
    folder = root / "modules" / "prove-modul"
    meta = (folder / "module.yaml").read_text(encoding="utf-8")
    meta = (meta.replace("title: Prøvemodul", "title: Prøvemodul på nynorsk")
            .replace("title: Første leksjon", "title: Første leksjonen"))
    for old, new in changes.items():
        meta = meta.replace(old, new)
    (folder / "module.nn.yaml").write_text(meta, encoding="utf-8")
    (folder / "forste.nn.md").write_text("Dette er den første leksjonen på nynorsk.\n", encoding="utf-8")


def nn_quiz(root: Path, *replacements: tuple[str, str]) -> Path:
    text = (root / "quizzes" / "prove-quiz.yaml").read_text(encoding="utf-8")
    text = text.replace("Et barn ser lei seg ut.", "Eit barn ser lei seg ut.")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = root / "quizzes" / "prove-quiz.nn.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def messages(root: Path) -> list[str]:
    return [str(problem) for problem in load_catalog(root).problems]


def test_split_language():
    assert split_language("guide.nn") == ("guide", "nn")
    assert split_language("fra-vedtak-til-hverdag") == ("fra-vedtak-til-hverdag", None)


def test_twins_load_and_each_missing_file_falls_back_to_bokmal(content):
    nn_module(content)
    nn_quiz(content)
    catalog = load_catalog(content)
    assert catalog.problems == []
    assert set(catalog.modules) == {"prove-modul"} and set(catalog.quizzes) == {"prove-quiz"}
    nb_module = catalog.modules["prove-modul"]
    nynorsk = catalog.in_language("nn")
    module = nynorsk.modules["prove-modul"]
    assert module.meta.title == "Prøvemodul på nynorsk"
    assert [lesson.title for lesson in module.lessons] == ["Første leksjonen", "Andre leksjon"]
    assert module.lessons[0].body.startswith("Dette er den første leksjonen på nynorsk.")
    assert module.lessons[1].body == nb_module.lessons[1].body  # no andre.nn.md: bokmål
    assert module.guide == nb_module.guide  # no guide.nn.md: bokmål
    assert nynorsk.quizzes["prove-quiz"].start.text == "Eit barn ser lei seg ut."
    english = catalog.in_language("en")  # no English files at all: bokmål throughout
    assert english.modules["prove-modul"] == nb_module and english.quizzes == catalog.quizzes
    assert catalog.in_language("nn") is nynorsk and catalog.in_language("nb") is catalog


@pytest.mark.parametrize(("old", "new", "field"), [
    ("points: 2\n        next: neste", "points: 1\n        next: neste", "steps[0].choices[0].points"),
    ("next: neste", "next: alvor", "steps[0].choices[0].next"),
    ("tags: [åpner]", "tags: [lytter]", "steps[0].choices[0].tags"),
    ("pass_percent: 70", "pass_percent: 60", "pass_percent"),
    ("setting: skole", "setting: barnehage", "setting"),
    ("id: prove-quiz", "id: prove-quiz\nversion: 2", "version"),
    ("        tags: [bryter-tillit]", "        tags: [bryter-tillit]\n      - text: Eitt val til.\n"
     "        feedback: Noko.\n        points: 0", "steps[2].choices"),
])
def test_a_scenario_twin_must_match_bokmal_in_all_but_text(content, old, new, field):
    nn_quiz(content, (old, new))
    problems = messages(content)
    assert any("prove-quiz.nn.yaml" in p and f"{field}:" in p for p in problems), problems
    assert "prove-quiz" not in load_catalog(content).quiz_translations


def test_a_critical_choice_twin_keeps_critical_and_its_reason(content):
    nn_quiz(content, ("        critical: true\n", ""))
    problems = messages(content)
    assert any("steps[2].choices[2].critical:" in p for p in problems), problems
    assert any("critical_reason" in p for p in problems), problems


def test_step_ids_must_match(content):
    nn_quiz(content, ("id: alvor", "id: alvorleg"), ("next: alvor", "next: alvorleg"))
    assert any("prove-quiz.nn.yaml" in p and "steps:" in p for p in messages(content))


@pytest.mark.parametrize(("old", "new", "field"), [
    ("version: 1", "version: 2", "version"),
    ("minutes: 10", "minutes: 12", "minutes"),
    ("service_areas: [skole]", "service_areas: [barnehage]", "service_areas"),
    ("  - id: andre\n", "  - id: andre-leksjon\n", "lessons"),
])
def test_a_module_twin_must_match_module_yaml_in_all_but_text(content, old, new, field):
    nn_module(content, **{old: new})
    problems = messages(content)
    assert any("module.nn.yaml" in p and f"{field}:" in p for p in problems), problems


def test_stray_and_orphan_twin_files_are_problems(content):
    folder = content / "modules" / "prove-modul"
    (folder / "andre.nn.md").write_text("Andre leksjonen.\n", encoding="utf-8")
    (folder / "forste.de.md").write_text("Erste Lektion.\n", encoding="utf-8")
    (content / "quizzes" / "finst-ikkje.nn.yaml").write_text("id: finst-ikkje\n", encoding="utf-8")
    problems = messages(content)
    assert any("module.nn.yaml" in p and "mangler" in p for p in problems), problems
    assert any("forste.de.md" in p and "ukjent språkkode" in p for p in problems), problems
    assert any("finst-ikkje.nn.yaml" in p and "bokmålsfila" in p for p in problems), problems
    nn_module(content)
    (folder / "tredje.nn.md").write_text("Ingen slik leksjon.\n", encoding="utf-8")
    assert any("tredje.nn.md" in p for p in messages(content))


def test_a_twin_of_an_older_version_shows_bokmal(content):
    nn_module(content)
    catalog = load_catalog(content)
    twin = catalog.module_translations["prove-modul"]["nn"]
    newer = catalog.modules["prove-modul"].model_copy(
        update={"meta": catalog.modules["prove-modul"].meta.model_copy(update={"version": 2})})
    assert localize_module(newer, twin) is newer


def test_the_effective_catalog_comes_in_the_language_of_the_run(content, repo):
    nn_module(content)
    files = load_catalog(content)
    cache = EffectiveCatalogCache()
    assert cache.get(files, repo, None).modules["prove-modul"].meta.title == "Prøvemodul"
    with using_language("nn"):
        assert cache.get(files, repo, None).modules["prove-modul"].meta.title == "Prøvemodul på nynorsk"


def test_repository_twins_match_their_bokmal_files():
    """Every nynorsk or English file in modules/ and quizzes/ loads and matches its bokmål twin."""
    catalog = load_catalog(ROOT)
    assert [str(p) for p in catalog.problems] == []
    twins = list(ROOT.glob("modules/*/*.*.md")) + list(ROOT.glob("modules/*/module.*.yaml"))
    twins += [p for p in ROOT.glob("quizzes/*.yaml") if split_language(p.stem)[1]]
    for path in twins:
        stem, language = split_language(path.name.rsplit(".", 1)[0])
        if path.parent.name == "quizzes":
            assert language in catalog.quiz_translations.get(stem, {}), path
        else:
            assert language in catalog.module_translations.get(path.parent.name, {}), path


def test_felles_barnesyn_is_in_nynorsk_throughout():
    """The worked example: every lesson, the guide, module.yaml's texts and the scenario, each LIX <= 40."""
    from learning.content.lint import MAX_LIX, lesson_stats

    catalog = load_catalog(ROOT)
    nb = catalog.modules["felles-barnesyn"]
    twin = catalog.module_translations["felles-barnesyn"]["nn"]
    assert set(twin.lessons) == set(nb.lesson_ids()) and twin.guide is not None
    nynorsk = catalog.in_language("nn")
    module = nynorsk.modules["felles-barnesyn"]
    assert module.meta.title and module.meta.description != nb.meta.description
    for ours, theirs in zip(nb.lessons, module.lessons, strict=True):
        assert ours.body != theirs.body and ours.title != theirs.title
        assert lesson_stats(theirs.body, theirs.id).lix <= MAX_LIX
    assert "ikkje" in module.lessons[0].body and "ikke " not in module.lessons[0].body
    assert nynorsk.quizzes["felles-barnesyn"] is catalog.quiz_translations["felles-barnesyn"]["nn"]
