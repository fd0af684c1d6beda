"""Private reflection notes: saved per «Refleksjon» box, the owner's only, in their export, gone on erasure."""

from __future__ import annotations

import json

import pytest

from learning.errors import UserError
from learning.records import Role
from learning.services import exports
from learning.services.audit import AuditService
from learning.services.gdpr import PersonalDataService, own_data_markdown
from learning.services.learning import LearningService
from learning.services.notes import NotesService, split_reflections
from learning.services.reports import ReportService

from .apptest_helpers import click, goto, new_app, page_text, sign_in
from .conftest import FIXTURE_CONTENT
from .helpers import NOW, admin_and_accounts, make_user

MODULE = "prove-modul"
SECRET = "Mitt private svar 4711"


@pytest.fixture
def people(repo, fixture_content):
    accounts, admin = admin_and_accounts(repo)
    return (admin, make_user(accounts, admin, "leder", role=Role.MANAGER, area=None, unit=""),
            make_user(accounts, admin, "kari"), make_user(accounts, admin, "ola"))


def test_a_lesson_splits_around_each_reflection_box():
    body = (FIXTURE_CONTENT / "modules" / MODULE / "forste.md").read_text("utf-8")
    parts = split_reflections(body + "\n::: refleksjon\nTo?\n:::\nSlutt.\n")
    assert [p.reflection for p in parts] == [None, 0, None, 1, None]
    assert parts[1].markdown == "::: refleksjon\nHva gjør du i morgen?\n:::"
    assert "::: råd" in parts[0].markdown and parts[-1].markdown == "Slutt."
    assert split_reflections("Ingen bokser.") [0].reflection is None
    assert "".join(p.markdown for p in split_reflections("::: refleksjon\nuten slutt")) == \
        "::: refleksjon\nuten slutt"   # an unclosed box stays text


def test_notes_are_saved_replaced_and_removed_and_only_the_owner_has_them(repo, people):
    _, _, kari, ola = people
    notes = NotesService(repo, clock=lambda: NOW)
    notes.save(kari, MODULE, "forste", 0, "Første tanke", prompt="Hva gjør du i morgen?")
    notes.save(kari, MODULE, "forste", 0, SECRET, prompt="Hva gjør du i morgen?")
    notes.save(kari, MODULE, "andre", 0, "Mer")
    assert {(n.lesson_id, n.text) for n in notes.mine(kari)} == {("forste", SECRET), ("andre", "Mer")}
    assert notes.for_lesson(kari, MODULE, "forste")[0].prompt == "Hva gjør du i morgen?"
    assert notes.mine(ola) == []
    assert notes.save(kari, MODULE, "andre", 0, "   ") is None
    assert [n.lesson_id for n in notes.mine(kari)] == ["forste"]
    with pytest.raises(UserError):
        notes.save(kari, MODULE, "forste", 1, "x" * 5001)


def test_no_manager_report_export_or_someone_elses_data_shows_a_note(repo, people, fixture_content):
    admin, manager, kari, ola = people
    LearningService(repo, fixture_content).finish_lesson(kari, MODULE, "forste")
    NotesService(repo).save(kari, MODULE, "forste", 0, SECRET)
    reports = ReportService(repo, fixture_content, clock=lambda: NOW)
    board = reports.dashboard(manager, "0301")
    seen = [repr(board), repr(reports.person(manager, "0301", kari.id)), repr(reports.network(manager)),
            exports.to_csv(exports.staff_table(board, reports.staff_rows(manager, "0301"))).decode("utf-8-sig"),
            exports.to_xlsx(exports.report_tables(board, reports.staff_rows(manager, "0301"))).decode("latin-1"),
            json.dumps(PersonalDataService(repo).own_data(ola), ensure_ascii=False),
            repr(AuditService(repo).entries(admin))]
    assert not [text for text in seen if SECRET in text]
    own = PersonalDataService(repo).own_data(kari)
    assert [n["text"] for n in own["reflection_notes"]] == [SECRET]
    assert SECRET in own_data_markdown(own, {MODULE: "Prøvemodul"})


def test_erasure_deletes_the_notes(repo, people):
    admin, _, kari, _ = people
    NotesService(repo).save(kari, MODULE, "forste", 0, SECRET)
    PersonalDataService(repo).anonymise(admin, kari.id, confirm="kari")
    assert repo.user_docs(kari.id, "notes") == {}


def test_learner_writes_a_note_under_the_reflection_and_finds_it_again(data_dir, fixture_content):
    from .apptest_helpers import create_first_admin, restart_app
    from .test_app_learner import learner

    create_first_admin(new_app())
    learner(data_dir)
    at = sign_in(restart_app(), "kari", "kari-passord")
    click(at, "Start modulen")
    area = next(a for a in at.text_area if a.label == "Ditt notat (bare du ser det)")
    area.input(SECRET).run()
    assert any("Lagret" in c.value for c in at.caption)
    at = sign_in(restart_app(), "kari", "kari-passord")
    click(at, "Start modulen")  # writing a note does not start the module; reading a lesson does
    assert [a.value for a in at.text_area] == [SECRET]
    goto(at, "min-laering")
    assert "Mine refleksjonsnotater" in [h.value for h in at.header]
    assert SECRET in [x.value for x in at.text]
    assert "Hva gjør du i morgen?" in page_text(at)
