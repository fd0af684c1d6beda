"""The docs stay true to the code: commands, CI, layout."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

from learning.__main__ import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def fenced_commands(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", text, re.DOTALL)]


def test_readme_has_the_run_and_test_commands_and_ci_runs_the_test_command():
    run, test = fenced_commands(README)[:2]
    assert run == "bash scripts/run.sh"
    assert test in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in (run, test):
        script = command.split()[1]
        assert (ROOT / script).exists(), script


def test_every_cli_command_is_in_the_readme(capsys):
    with contextlib.suppress(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    commands = re.search(r"\{([a-z,-]+)\}", help_text).group(1).split(",")
    for command in commands:
        assert f"python -m learning {command}" in README, command


def test_architecture_names_only_files_that_exist():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for name in re.findall(r"^\s+([a-z_]+\.py)\s", text, re.MULTILINE):
        assert list(ROOT.rglob(name)), name


def test_every_environment_variable_is_in_the_readme():
    sources = [*(ROOT / "learning").rglob("*.py"), *(ROOT / "scripts").glob("*.sh"), ROOT / "tests" / "stores.py"]
    names = {name for path in sources for name in re.findall(r"\bLEARNING_[A-Z_]+\b", path.read_text("utf-8"))}
    assert "LEARNING_DATABASE_URL" in names
    assert sorted(name for name in names if f"`{name}`" not in README) == []


def test_readme_starts_the_app_on_postgresql_with_one_command():
    assert "bash scripts/run-postgres.sh" in fenced_commands(README)
    assert (ROOT / "scripts" / "run-postgres.sh").exists()
