"""AppTest flows for the catalog: filters kept in the address, modules for leaders placed by role."""

from __future__ import annotations

import shutil

import pytest

from learning.records import Role
from tests.stores import open_store

from .apptest_helpers import card_titles, catalog_cards, goto, new_app, restart_app, sign_in, values
from .conftest import FIXTURE_CONTENT
from .helpers import admin_and_accounts, make_user

MODULE = """id: {id}
title: {title}
short_title: {short}
description: {description}
service_areas: [{areas}]
{audience}minutes: 10
lessons:
  - id: forste
    title: Første leksjon
sources: |
  Testinnhold. Alle personer er oppdiktet.
"""


def add_module(root, module_id: str, title: str, description: str, areas: str, audience: str = "") -> None:
    folder = root / "modules" / module_id
    folder.mkdir(parents=True)
    (folder / "module.yaml").write_text(MODULE.format(id=module_id, title=title, short=title[:24], areas=areas,
                                                      description=description, audience=audience),
                                        encoding="utf-8")
    (folder / "forste.md").write_text("En kort leksjon.\n", encoding="utf-8")


@pytest.fixture
def content(tmp_path, monkeypatch):
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    add_module(root, "styring", "Styring for ledere", "Planer og rutiner.", "alle", "audience: ledende\n")
    add_module(root, "bhg-modul", "Lek i barnehagen", "Om kropp og grenser i lek.", "barnehage")
    monkeypatch.setenv("LEARNING_CONTENT_DIR", str(root))
    return root


@pytest.fixture
def people(data_dir, content):
    accounts, admin = admin_and_accounts(open_store(data_dir))
    make_user(accounts, admin, "kari")
    make_user(accounts, admin, "leder", role=Role.MANAGER, area=None, unit="")


def titles(at) -> list[str]:
    return card_titles(at)


@pytest.mark.tinydb_only  # display only: the store is covered elsewhere
def test_modules_for_leaders_are_labelled_last_for_learners_and_first_for_leaders(people):
    learner = sign_in(restart_app(), "kari", "passord123")
    assert values(learner.header) == ["For deg i Skole", "Andre moduler", "For ledere"]
    assert titles(learner) == ["Prøvemodul", "Lek i barnehagen", "Styring for ledere"]
    assert "For ledere" in catalog_cards(learner)[-1].text  # a word, not colour alone
    leader = sign_in(restart_app(), "leder", "passord123")
    assert values(leader.header) == ["For ledere", "Alle moduler"]
    assert titles(leader)[0] == "Styring for ledere"


@pytest.mark.tinydb_only
def test_filters_are_kept_in_the_address_and_survive_a_reload(people):
    at = sign_in(restart_app(), "kari", "passord123")
    at.selectbox(key="catalog-area").set_value("barnehage").run()
    assert titles(at) == ["Lek i barnehagen", "Styring for ledere"]  # «alle» modules are for every area
    at.text_input(key="catalog-search").input("grenser").run()
    assert titles(at) == ["Lek i barnehagen"] and "Viser 1 av 3 moduler." in values(at.caption)
    at.selectbox(key="catalog-status").set_value("fullfort").run()
    assert titles(at) == [] and any("Ingen moduler passer" in i.value for i in at.info)
    at.selectbox(key="catalog-status").set_value("ikke-startet").run()
    address = dict(at.query_params)
    assert address == {"omrade": "barnehage", "sok": "grenser", "status": "ikke-startet"}
    # A reload: a new session opens the same address (here signed out, so it signs in there first)
    reloaded = new_app()
    reloaded.query_params.update(address)
    reloaded = sign_in(goto(reloaded, "moduler"), "kari", "passord123")
    assert (reloaded.selectbox(key="catalog-area").value, reloaded.selectbox(key="catalog-status").value,
            reloaded.text_input(key="catalog-search").value) == ("barnehage", "ikke-startet", "grenser")
    assert titles(reloaded) == ["Lek i barnehagen"]
    # Clearing a filter takes it out of the address
    reloaded.text_input(key="catalog-search").input("").run()
    assert dict(reloaded.query_params) == {"omrade": "barnehage", "status": "ikke-startet"}


@pytest.mark.tinydb_only
def test_an_unknown_filter_in_the_address_is_ignored(people):
    at = new_app()
    at.query_params.update({"omrade": "månen", "status": "<script>", "sok": "lek"})
    at = sign_in(goto(at, "moduler"), "kari", "passord123")
    assert not at.exception and titles(at) == ["Lek i barnehagen"]  # the known filter still applies
    assert dict(at.query_params) == {"sok": "lek"}
