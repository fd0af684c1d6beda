"""The download buttons in the app: a SCORM package on the author's page, xAPI statements for admins."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from learning.records import AuditAction, Role
from tests.stores import open_store

from .apptest_helpers import goto, restart_app, sign_in
from .helpers import admin_and_accounts, make_user
from .test_scorm_package import check_manifest
from .test_xapi import play_module


@pytest.fixture
def people(data_dir, fixture_content):
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "forf.en", role=Role.AUTHOR)
    kari = make_user(accounts, admin, "kari")
    play_module(repo, fixture_content, kari)
    return repo


def test_author_downloads_a_module_as_a_scorm_package_in_nynorsk(people, served):
    at = goto(sign_in(restart_app(), "forf.en", "passord123"), "forfatter")
    assert at.selectbox(key="scorm-module").value == "prove-modul"
    at.radio(key="scorm-language").set_value("nn").run()
    with zipfile.ZipFile(io.BytesIO(served["prove-modul-scorm12-nn.zip"]())) as archive:
        check_manifest(archive)
        assert '<html lang="nn">' in archive.read("index.html").decode("utf-8")


def test_admin_downloads_xapi_statements_and_the_download_is_logged(people, served, monkeypatch):
    monkeypatch.setenv("LEARNING_XAPI_SECRET", "a" * 40)
    at = goto(sign_in(restart_app(), "admin", "admin-passord"), "logg")
    assert not at.exception
    name = next(n for n in served if n.startswith("mittliv-xapi-"))
    lines = [json.loads(line) for line in served[name]().decode("utf-8").splitlines()]
    assert len(lines) == 10 and lines[-1]["verb"]["id"].endswith("/completed")
    entry = people.audit_entries()[-1]
    assert (entry.action, entry.target, entry.details["format"]) == (AuditAction.EXPORTED, name, "xapi")


def test_learners_and_authors_have_no_xapi_download(people, served):
    goto(sign_in(restart_app(), "forf.en", "passord123"), "forfatter")
    assert not any(n.startswith("mittliv-xapi-") for n in served)
