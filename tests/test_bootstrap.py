"""The composition root: the environment selects the store, and the command line migrates it."""

from __future__ import annotations

import pytest

from learning import bootstrap
from learning.__main__ import main as cli
from learning.errors import UserError
from learning.i18n import t
from learning.storage.tinydb_repo import TinyDBRepository


def test_without_a_database_url_the_store_is_tinydb_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LEARNING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(bootstrap.DATABASE_URL_ENV, raising=False)
    settings = bootstrap.Settings.from_env()
    repo = bootstrap.open_repository(settings)
    assert settings.backend == "tinydb" and isinstance(repo, TinyDBRepository) and repo.root == tmp_path / "data"


def test_a_database_url_selects_postgresql_with_one_pool_per_process(postgres_url, monkeypatch):
    from learning.storage.postgres_repo import PostgresRepository

    monkeypatch.setenv(bootstrap.DATABASE_URL_ENV, postgres_url)
    settings = bootstrap.Settings.from_env()
    repo = bootstrap.open_repository(settings)
    assert settings.backend == "postgres" and isinstance(repo, PostgresRepository)
    assert bootstrap.open_repository(bootstrap.Settings.from_env()) is repo
    services = bootstrap.services(settings)
    assert services.repo is repo and services.accounts().needs_first_admin()


@pytest.mark.parametrize("url", ["mysql://x@localhost/db", "/var/lib/data", "sqlite:///x.db"])
def test_a_database_url_that_is_not_postgresql_is_refused_in_words(url, monkeypatch):
    monkeypatch.setenv(bootstrap.DATABASE_URL_ENV, url)
    with pytest.raises(UserError) as raised:
        bootstrap.Settings.from_env()
    assert bootstrap.DATABASE_URL_ENV in t(raised.value.key, **raised.value.values)


def test_migrate_on_tinydb_says_there_is_nothing_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LEARNING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv(bootstrap.DATABASE_URL_ENV, raising=False)
    assert cli(["migrate"]) == 0
    assert t("database.tinydb", folder=tmp_path / "data") in capsys.readouterr().out


def test_migrate_on_postgresql_is_idempotent(postgres_url, monkeypatch, capsys):
    monkeypatch.setenv(bootstrap.DATABASE_URL_ENV, postgres_url)
    assert cli(["migrate"]) == 0 and cli(["migrate"]) == 0
    assert capsys.readouterr().out.count(t("database.up_to_date")) == 2  # the test database is migrated already


def test_an_unreachable_database_is_a_message_on_the_command_line(monkeypatch, capsys):
    monkeypatch.setenv(bootstrap.DATABASE_URL_ENV, "postgresql://postgres@127.0.0.1:1/learning?connect_timeout=1")
    assert cli(["migrate"]) == 1
    err = capsys.readouterr().err
    assert "127.0.0.1:1/learning" in err and "Traceback" not in err


@pytest.mark.parametrize("raw, size", [("4", 4), ("fire", 10), ("0", 10), ("", 10)])
def test_a_pool_size_that_is_not_a_whole_number_falls_back_to_ten(raw, size, monkeypatch):
    monkeypatch.setenv(bootstrap.POOL_SIZE_ENV, raw)
    assert bootstrap.Settings.from_env().pool_size == size
