"""Nynorsk spelling: every nynorsk content twin and the nn UI catalog pass hunspell nn_NO.

A word hunspell does not know must be fixed or, once checked, put on
``scripts/spellcheck-nn.allow``. Needs Debian's hunspell and hunspell-no
(``scripts/setup-tests.sh`` installs them); skipped with the reason where they are missing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "spellcheck_nn.py"
sys.path.insert(0, str(SCRIPT.parent))
import spellcheck_nn  # noqa: E402

pytestmark = [
    pytest.mark.tinydb_only,
    pytest.mark.skipif(not spellcheck_nn.dictionary_available(),
                       reason="hunspell with the nn_NO dictionary is not installed "
                              "(apt-get install hunspell hunspell-no; scripts/setup-tests.sh does it)"),
]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, check=False)


def test_every_nynorsk_text_is_spelled_right():
    result = run()
    assert result.returncode == 0, "unknown nynorsk words (fix them, or allow-list checked ones):\n" + result.stdout


def test_the_check_covers_every_module_and_the_catalog():
    files = {path.relative_to(ROOT).as_posix() for path in spellcheck_nn.nynorsk_files()}
    modules = {path.name for path in (ROOT / "modules").iterdir() if (path / "module.yaml").exists()}
    for module in modules:
        assert f"modules/{module}/module.nn.yaml" in files
        assert f"modules/{module}/guide.nn.md" in files
        assert f"quizzes/{module}.nn.yaml" in files
    assert "learning/locales/nn/core.toml" in files


def check(capsys, *files: Path) -> tuple[int, str]:
    """The script's main() in this process (no second interpreter start): exit code and output."""
    code = spellcheck_nn.main([str(path) for path in files])
    return code, capsys.readouterr().out


def test_bokmal_left_in_a_twin_is_reported_with_its_file(tmp_path, capsys):
    lesson = tmp_path / "leksjon.nn.md"
    lesson.write_text("# Kva gjer du?\n\nDu ser at barnet ikke har det bra. Sjå [Bufdir](https://hvordan.no).\n",
                      encoding="utf-8")
    code, out = check(capsys, lesson)
    assert code == 1
    assert f"{lesson}: ikke\n" == out  # «Bufdir» is allow-listed; the link target is not text


def test_only_what_a_reader_sees_is_checked(tmp_path, capsys):
    quiz = tmp_path / "prove.nn.yaml"
    quiz.write_text("id: hvordan-hjelpe\ntitle: Eit barn ser lei seg ut\nsteps:\n  - id: hva-na\n"
                    "    text: Kva gjer du no?\n    choices:\n      - text: Du spør.\n        next: uten-valg\n"
                    "        tags: [unnviker]\n", encoding="utf-8")
    catalog = tmp_path / "ui.toml"
    catalog.write_text('[hvordan]\nsummary = "Du har gjennomført {done} av {started} modular. `hvordan`"\n',
                       encoding="utf-8")
    assert check(capsys, quiz, catalog) == (0, "")
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("Du spør.", "Du spør hvordan."), encoding="utf-8")
    assert check(capsys, quiz) == (1, f"{quiz}: hvordan\n")


def test_the_allow_list_holds_only_words_hunspell_rejects():
    """An entry the dictionary knows is dead weight that could hide nothing; keep the list honest."""
    allowed = spellcheck_nn.allowed_words()
    known = allowed - spellcheck_nn.unknown_to_hunspell(allowed)
    assert allowed and known == set(), f"hunspell knows these already: {sorted(known)}"
