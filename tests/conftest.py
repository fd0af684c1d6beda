"""Shared fixtures: a fresh store, the test content, and a fast scrypt for speed.

Only ``test_passwords.py`` checks the real scrypt cost; elsewhere a small ``n``
keeps the suite fast while still running real scrypt.

``LEARNING_TEST_BACKEND=postgres`` runs the ``data_dir`` and ``repo`` based tests on
PostgreSQL: a throwaway cluster for the session (``tests/pg_cluster.py``), emptied
before each test and handed to the app through ``LEARNING_DATABASE_URL``. Tests of the
TinyDB files themselves are marked ``tinydb_only`` and skipped there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from learning import bootstrap
from learning.content.catalog import load_catalog
from learning.services import passwords
from learning.storage.repository import Repository
from tests import pg_cluster
from tests.stores import BACKEND, open_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = Path(__file__).resolve().parent / "fixtures" / "content"


def pytest_collection_modifyitems(config, items):
    if BACKEND == "postgres":
        skip = pytest.mark.skip(reason="tests the TinyDB files themselves (LEARNING_TEST_BACKEND=postgres)")
        for item in items:
            if "tinydb_only" in item.keywords:
                item.add_marker(skip)


PYTEST_MAIN = sys.modules["__main__"]


@pytest.fixture(autouse=True)
def real_main_module():
    """AppTest runs the app as ``__main__`` and leaves it there. A process a later test
    spawns would then run the whole app again while it starts: give ``__main__`` back."""
    sys.modules["__main__"] = PYTEST_MAIN
    yield
    sys.modules["__main__"] = PYTEST_MAIN


@pytest.fixture(autouse=True)
def fresh_run_memo():
    """Each test starts as a new Streamlit run would: the services one run keeps (``context.run_memo``)
    belong to that run. A test that calls ``context`` outside AppTest would otherwise get the services,
    and so the data folder, of an earlier test in the same thread."""
    from learning.ui import context

    context.begin_run()
    yield
    context.begin_run()


@pytest.fixture(autouse=True)
def fast_scrypt(request, monkeypatch):
    if "real_scrypt" not in request.keywords:
        monkeypatch.setattr(passwords, "SCRYPT_N", 2**10)


@pytest.fixture(scope="session")
def postgres_cluster():
    """A running cluster and its test database (migrated); skipped without PostgreSQL, except under CI."""
    bin_dir = pg_cluster.bindir()
    if bin_dir is None:
        message = "PostgreSQL is missing (install Debian's postgresql: bash scripts/setup-tests.sh)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    cluster = pg_cluster.Cluster(bin_dir).start()
    try:
        url = cluster.create_database("learning_test")
        from learning.storage.postgres_repo import PostgresRepository

        PostgresRepository(url, pool_size=1, migrate=True).close()
        yield url
    finally:
        bootstrap.close_repositories()
        cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster) -> str:
    """The test database, emptied for this test."""
    pg_cluster.reset(postgres_cluster)
    return postgres_cluster


@pytest.fixture
def data_dir(request, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("LEARNING_DATA_DIR", str(folder))
    if BACKEND == "postgres":
        monkeypatch.setenv(bootstrap.DATABASE_URL_ENV, request.getfixturevalue("postgres_url"))
        monkeypatch.setenv(bootstrap.POOL_SIZE_ENV, "4")
    else:
        monkeypatch.delenv(bootstrap.DATABASE_URL_ENV, raising=False)
    return folder


@pytest.fixture
def fixture_content(monkeypatch):
    monkeypatch.setenv("LEARNING_CONTENT_DIR", str(FIXTURE_CONTENT))
    return load_catalog(FIXTURE_CONTENT)


@pytest.fixture
def repo(data_dir) -> Repository:
    return open_store(data_dir)


@pytest.fixture
def served(monkeypatch) -> dict[str, object]:
    """File name -> the builder a download button registered (files are built on click)."""
    builders: dict[str, object] = {}
    real = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        builders[file_name] = data_callable
        return real(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return builders
