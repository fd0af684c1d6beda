"""The validator: good content passes; each kind of bad content gives path:line: message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from learning.__main__ import main
from learning.content.catalog import load_catalog
from learning.content.loader import markdown_problems, parse_quiz
from learning.content.problems import ContentError

from .conftest import FIXTURE_CONTENT

GOOD_QUIZ = (FIXTURE_CONTENT / "quizzes" / "prove-quiz.yaml").read_text(encoding="utf-8")


def problems_for(text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        parse_quiz(text, "quizzes/x.yaml")
    return [str(p) for p in info.value.problems]


def test_fixture_content_is_valid():
    catalog = load_catalog(FIXTURE_CONTENT)
    assert catalog.problems == []
    assert list(catalog.modules) == ["prove-modul"]
    assert list(catalog.quizzes) == ["prove-quiz"]


BAD_QUIZZES = [
    # (description, replace this, with this, expected problem line)
    ("yaml syntax", "title: Prøvescenario", "title: [Prøvescenario", "quizzes/x.yaml:3: YAML-feil"),
    ("missing field", "pass_percent: 70\n", "", "quizzes/x.yaml:1: pass_percent: mangler feltet «pass_percent»"),
    ("unknown field", "setting: skole", "setting: skole\ncolour: red", "quizzes/x.yaml:5: colour: ukjent felt «colour»"),
    ("wrong type", "pass_percent: 70", "pass_percent: sytti", "quizzes/x.yaml:5: pass_percent: må være et heltall"),
    ("unknown tag", "tags: [åpner]", "tags: [snill]", "quizzes/x.yaml:14: steps[0].choices[0].tags[0]: må være en av"),
    ("unknown next step", "next: alvor", "next: finnes-ikke", "quizzes/x.yaml:18: steps[0].choices[1].next: ukjent steg «finnes-ikke»"),
    ("duplicate step id", "- id: neste", "- id: alvor", "quizzes/x.yaml:32: steps[2].id: steget «alvor» finnes fra før"),
    ("unreachable step", "next: alvor", "next: neste", "quizzes/x.yaml:20: steps[1].id: ingen vei fører til steget «alvor»"),
    ("path never ends", "        tags: [lytter]", "        next: start\n        tags: [lytter]", "quizzes/x.yaml:7: steps[0].id: steget «start» ligger i en sløyfe"),
    ("too few choices", "      - text: Du lar det være.\n        feedback: Barnet står alene.\n        points: 0\n        tags: [lukker]\n", "", "quizzes/x.yaml:22: steps[1].choices: må ha minst 2"),
    ("critical without reason", "        critical_reason: Du kan ikke love et barn hemmelighold.\n", "",
     "quizzes/x.yaml:46: steps[2].choices[2].critical: en kritisk feil trenger en kort begrunnelse"),
    ("reason without critical", "        critical: true\n", "",
     "quizzes/x.yaml:46: steps[2].choices[2].critical_reason: brukes bare sammen med «critical: true»"),
    ("critical with points", "        points: 0\n        critical: true", "        points: 2\n        critical: true",
     "quizzes/x.yaml:45: steps[2].choices[2].points: en kritisk feil gir 0 poeng"),
    ("critical with next", "        critical: true\n", "        critical: true\n        next: alvor\n",
     "quizzes/x.yaml:47: steps[2].choices[2].next: en kritisk feil avslutter scenarioet"),
    ("bad slug", "id: prove-quiz", "id: Prøve Quiz", "quizzes/x.yaml:1: id: må være en id"),
]


@pytest.mark.parametrize("name,old,new,expected", BAD_QUIZZES, ids=[b[0] for b in BAD_QUIZZES])
def test_bad_quiz_reports_path_line_and_field(name, old, new, expected):
    assert old in GOOD_QUIZ
    found = problems_for(GOOD_QUIZ.replace(old, new, 1))
    assert any(expected in p for p in found), found


def test_a_step_of_only_critical_choices():
    critical = "        points: 0\n        critical: true\n        critical_reason: Regel.\n"
    text = GOOD_QUIZ.replace("        points: 2\n        next: neste\n        tags: [tar-ansvar]\n",
                             critical + "        tags: [tar-ansvar]\n")
    text = text.replace("        points: 0\n        tags: [lukker]\n", critical + "        tags: [lukker]\n")
    assert "quizzes/x.yaml:22: steps[1].choices: minst ett svar må være noe annet enn en kritisk feil" in problems_for(text)


def test_not_a_mapping():
    assert problems_for("- a\n- b\n") == ["quizzes/x.yaml:1: filen må være en gruppe med felter (nøkkel: verdi)"]


@pytest.mark.parametrize("text,expected", [
    ("::: råd\nTekst\n", "x.md:1: boksen er ikke lukket"),
    ("::: advarsel\nTekst\n:::\n", "x.md:1: ukjent boks «::: advarsel»"),
    ("Se [her](javascript:alert(1)).\n", "x.md:1: lenken «javascript:alert(1» er ikke tillatt"),
    ("::: råd\na\n::: refleksjon\nb\n:::\n", "x.md:3: ny boks før boksen fra linje 1 er lukket"),
])
def test_markdown_problems(text, expected):
    assert any(str(p).startswith(expected) for p in markdown_problems(text, "x.md")), markdown_problems(text, "x.md")


def copy_fixture(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def test_module_problems_name_file_and_line(tmp_path):
    root = copy_fixture(tmp_path)
    meta = root / "modules" / "prove-modul" / "module.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("minutes: 10", "minutes: ti").replace(
        "  - id: andre\n", "  - id: mangler\n"), encoding="utf-8")
    catalog = load_catalog(root)
    text = [str(p) for p in catalog.problems]
    assert any(p.endswith("module.yaml:5: minutes: må være et heltall") for p in text), text


def test_short_title_and_audience_are_checked_with_file_line_and_field(tmp_path):
    root = copy_fixture(tmp_path)
    meta = root / "modules" / "prove-modul" / "module.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        "title: Prøvemodul\n", "title: Prøvemodul\nshort_title: Et kort navn som er altfor langt\n").replace(
        "minutes: 10", "audience: sjefer\nminutes: 10"), encoding="utf-8")
    text = [str(p) for p in load_catalog(root).problems]
    assert any(p.endswith("module.yaml:3: short_title: er for lang (høyst 24 tegn)") for p in text), text
    assert any("module.yaml:6: audience: må være en av: «alle» eller «ledende»" in p for p in text), text


def test_short_title_is_a_text_a_translation_changes_and_audience_is_not(tmp_path):
    root = copy_fixture(tmp_path)
    folder = root / "modules" / "prove-modul"
    nb = (folder / "module.yaml").read_text(encoding="utf-8").replace(
        "title: Prøvemodul\n", "title: Prøvemodul\nshort_title: Prøve\n").replace(
        "minutes: 10", "audience: ledende\nminutes: 10")
    (folder / "module.yaml").write_text(nb, encoding="utf-8")
    (folder / "module.nn.yaml").write_text(nb.replace("short_title: Prøve", "short_title: Prøva").replace(
        "audience: ledende\n", ""), encoding="utf-8")
    text = [str(p) for p in load_catalog(root).problems]
    assert not any(": short_title" in p for p in text), text
    assert any("module.nn.yaml" in p and "audience: må være det samme som i module.yaml (ledende)" in p
               for p in text), text


def test_missing_lesson_file(tmp_path):
    root = copy_fixture(tmp_path)
    meta = root / "modules" / "prove-modul" / "module.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("  - id: andre\n", "  - id: mangler\n"), encoding="utf-8")
    text = [str(p) for p in load_catalog(root).problems]
    assert any(p.endswith("prove-modul/module.yaml:12: lessons[1].id: finner ikke filen mangler.md") for p in text), text


def test_unknown_quiz_reference(tmp_path):
    root = copy_fixture(tmp_path)
    (root / "quizzes" / "prove-quiz.yaml").unlink()
    text = [str(p) for p in load_catalog(root).problems]
    assert any(p.endswith("prove-modul/module.yaml:7: quiz: finner ikke quizen «prove-quiz» i quizzes/") for p in text), text


def test_cli_validate_exit_codes(tmp_path, capsys):
    root = copy_fixture(tmp_path)
    assert main(["validate", str(root / "modules"), str(root / "quizzes")]) == 0
    quiz = root / "quizzes" / "prove-quiz.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("next: alvor", "next: borte"), encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(root / "quizzes")]) == 1
    out = capsys.readouterr().out
    assert "prove-quiz.yaml:18: steps[0].choices[1].next: ukjent steg «borte»" in out
    assert "Traceback" not in out


def test_cli_schema_writes_json_schema(tmp_path):
    assert main(["schema", "--out", str(tmp_path)]) == 0
    quiz_schema = (tmp_path / "quiz.schema.json").read_text(encoding="utf-8")
    assert '"pass_percent"' in quiz_schema and '"trygger"' in quiz_schema
    module_schema = (tmp_path / "module.schema.json").read_text(encoding="utf-8")
    assert '"short_title"' in module_schema and '"maxLength": 24' in module_schema and '"ledende"' in module_schema


def test_not_utf8_is_reported(tmp_path):
    root = copy_fixture(tmp_path)
    (root / "quizzes" / "prove-quiz.yaml").write_bytes("id: \xe6".encode("latin-1"))
    text = [str(p) for p in load_catalog(root).problems]
    assert any("ikke lagret som UTF-8" in p for p in text), text


def test_repository_content_is_valid():
    """The repository's own modules/ and quizzes/ validate (what the hook and CI check)."""
    root = Path(__file__).resolve().parent.parent
    catalog = load_catalog(root)
    assert catalog.problems == [], "\n".join(map(str, catalog.problems))



def test_the_module_editor_keeps_short_title_and_audience():
    """Editing a module in the app writes back the short name and that it is for leaders."""
    from learning.ui.pages.author_lesson import files_from_form, form_from_files

    folder = Path(__file__).resolve().parent.parent / "modules" / "kunnskap-fra-barn-i-styring"
    files = {f"modules/{folder.name}/{p.name}": p.read_text(encoding="utf-8") for p in folder.iterdir()
             if ".nn." not in p.name}
    form = form_from_files(files, folder.name)
    assert (form["meta"]["short_title"], form["meta"]["audience"]) == ("Barns kunnskap i styring", "ledende")
    written = files_from_form(folder.name, form, files)[f"modules/{folder.name}/module.yaml"]
    assert "short_title: Barns kunnskap i styring\n" in written and "audience: ledende\n" in written
    form["meta"]["audience"] = None  # the box unticked
    assert "audience:" not in files_from_form(folder.name, form, files)[f"modules/{folder.name}/module.yaml"]
