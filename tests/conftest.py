"""Shared fixtures: a fresh data folder, the test content, and a fast scrypt for speed.

Only ``test_passwords.py`` checks the real scrypt cost; elsewhere a small ``n``
keeps the suite fast while still running real scrypt.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from learning.content.catalog import load_catalog
from learning.services import passwords
from learning.storage.tinydb_repo import TinyDBRepository

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = Path(__file__).resolve().parent / "fixtures" / "content"


@pytest.fixture(autouse=True)
def fast_scrypt(request, monkeypatch):
    if "real_scrypt" not in request.keywords:
        monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("LEARNING_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def fixture_content(monkeypatch):
    monkeypatch.setenv("LEARNING_CONTENT_DIR", str(FIXTURE_CONTENT))
    return load_catalog(FIXTURE_CONTENT)


@pytest.fixture
def repo(data_dir) -> TinyDBRepository:
    return TinyDBRepository(data_dir)
