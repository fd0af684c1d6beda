"""scripts/run.sh adds demo data only when asked, and only to a folder it created for the demo.

The script runs in a copy of the repository layout whose .venv is fake: pip and Streamlit only
record how they were called; ``python -m learning seed-demo`` runs the real command (small).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from learning.storage.tinydb_repo import TinyDBRepository

from .conftest import ROOT

pytestmark = pytest.mark.tinydb_only  # scripts/run.sh starts the app on TinyDB

FAKE_PYTHON = """#!/bin/sh
echo "python $*" >> "$RUN_LOG"
if [ "$1 $2 $3" = "-m learning seed-demo" ]; then exec {python} "$@" --size 3; fi
exit 0
"""
FAKE_STREAMLIT = """#!/bin/sh
echo "streamlit $LEARNING_DATA_DIR" >> "$RUN_LOG"
"""


@pytest.fixture
def checkout(tmp_path) -> Path:
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "run.sh", root / "scripts" / "run.sh")
    bin_dir = root / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, text in (("python", FAKE_PYTHON.format(python=sys.executable)), ("streamlit", FAKE_STREAMLIT)):
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return root


def run(checkout: Path, *args: str, **env: str) -> tuple[str, list[str]]:
    log = checkout / "run.log"
    log.unlink(missing_ok=True)
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LEARNING_")}
    environ.update(RUN_LOG=str(log), LEARNING_CONTENT_DIR=str(ROOT / "tests" / "fixtures" / "content"), **env)
    done = subprocess.run(["bash", str(checkout / "scripts" / "run.sh"), *args], env=environ, text=True,
                          capture_output=True, check=True, timeout=120)
    return done.stdout, log.read_text().splitlines()


def test_the_start_command_never_seeds_demo_data(checkout):
    _, calls = run(checkout)
    assert not any("seed-demo" in c for c in calls)
    assert calls[-1] == "streamlit data"
    assert not (checkout / "data" / "users.json").exists()  # the first-run page will ask for an admin


def test_demo_seeds_only_the_folder_it_creates_and_shows_the_sign_ins_once(checkout):
    out, calls = run(checkout, "--demo")
    demo = checkout / "demo-data"
    assert calls[-1] == "streamlit demo-data" and sum("seed-demo" in c for c in calls) == 1
    assert "admin" in out and "vises bare nå" in out
    assert TinyDBRepository(demo).find_user("admin") is not None
    assert not list(demo.glob("*.txt"))
    before = {p: p.read_bytes() for p in demo.rglob("*.json")}
    out, calls = run(checkout, "--demo")  # a second start: the folder exists, nothing is added
    assert not any("seed-demo" in c for c in calls) and "admin" not in out
    assert {p: p.read_bytes() for p in demo.rglob("*.json")} == before


def test_demo_on_an_existing_folder_seeds_nothing(checkout, tmp_path):
    folder = tmp_path / "prod"
    folder.mkdir()
    (folder / "users.json").write_text("{}")
    _, calls = run(checkout, "--demo", LEARNING_DEMO_DIR=str(folder))
    assert not any("seed-demo" in c for c in calls)
    assert (folder / "users.json").read_text() == "{}"
    _, calls = run(checkout, LEARNING_DATA_DIR=str(folder))
    assert not any("seed-demo" in c for c in calls) and calls[-1] == f"streamlit {folder}"
