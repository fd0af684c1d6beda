"""Reruns reuse what a page read for many people, until the store changes.

The users page reads every user's sign-in state (one file each on TinyDB): it must do so
once, not on every click, and again as soon as anything is written. Counted, not timed.
"""

from __future__ import annotations

import pytest

from learning.records import Role
from learning.services.gdpr import PersonalDataService
from tests.stores import open_store

from .apptest_helpers import click, goto, restart_app, sign_in, text_input, values
from .helpers import admin_and_accounts, make_user


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The municipality each time the users page reads everyone's last sign-in (not one page's)."""
    seen: list[str] = []
    real = PersonalDataService.last_sign_ins

    def counting(self, actor, municipality, users=None):
        if users is None:
            seen.append(municipality)
        return real(self, actor, municipality, users)

    monkeypatch.setattr(PersonalDataService, "last_sign_ins", counting)
    return seen


def test_the_users_page_reads_everyone_once_until_something_is_written(data_dir, fixture_content, reads):
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "kari")
    make_user(accounts, admin, "muni", role=Role.MUNICIPAL_ADMIN, area=None, unit="")
    at = goto(sign_in(restart_app(), "muni", "passord123"), "brukere")
    assert reads == ["0301"]
    for _ in range(3):
        at.run()
    at.selectbox(key="admin-edit-user").set_value(repo.find_user("kari").id).run()  # choose someone: no read
    assert not at.exception and reads == ["0301"]
    assert "Kari (kari)" in at.selectbox(key="gdpr-user").options
    # A write (a new user) is seen at once: the table and the choosers are read again.
    text_input(at, "Navn").input("Per Pedagog")
    text_input(at, "Brukernavn").input("per")
    text_input(at, "Første passord").input("per-passord")
    click(at, "Opprett bruker")
    assert values(at.success) == ["Brukeren per er opprettet."]
    assert len(reads) == 2 and "per" in set(at.dataframe[0].value["Brukernavn"])
    assert "Per Pedagog (per)" in at.selectbox(key="gdpr-user").options


def test_each_admin_and_municipality_gets_its_own_listing(data_dir, fixture_content, reads):
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "bergen-ola", municipality="4601", unit="Bergen skole")
    at = goto(sign_in(restart_app(), "admin", "admin-passord"), "brukere")
    assert "bergen-ola" not in set(at.dataframe[0].value["Brukernavn"])
    at.selectbox(key="admin-municipality").set_value("4601").run()
    assert reads == ["0301", "4601"] and set(at.dataframe[0].value["Brukernavn"]) == {"bergen-ola"}


def test_a_rerun_reads_the_signed_in_user_once(data_dir, fixture_content, monkeypatch):
    from learning.services.accounts import AccountService

    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "kari")
    at = goto(sign_in(restart_app(), "kari", "passord123"), "min-laering")
    calls: list[str] = []
    real = AccountService.session_user
    monkeypatch.setattr(AccountService, "session_user",
                        lambda self, user_id, issued: calls.append(user_id) or real(self, user_id, issued))
    at.run()
    assert values(at.title) == ["Min læring"] and calls == [repo.find_user("kari").id]  # the menu and the page
    repo.update_user(calls[0], lambda u: u.model_copy(update={"active": False}))
    at.run()  # still checked on every run: a deactivated user is signed out at once
    assert values(at.title) == ["Logg inn"]


def test_the_network_page_computes_its_figures_once_per_session_until_a_write(data_dir, fixture_content,
                                                                               monkeypatch):
    """The network view and network-wide insight read every person: not again on each rerun."""
    from learning.services.reports import ReportService

    calls: list[str] = []
    for name in ("network", "quiz_insight"):
        real = getattr(ReportService, name)

        def counting(self, *args, real=real, name=name, **kwargs):
            calls.append(name)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(ReportService, name, counting)
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "koord", role=Role.COORDINATOR, area=None, unit="")
    at = goto(sign_in(restart_app(), "koord", "passord123"), "nettverk")
    assert not at.exception and sorted(calls) == ["network", "quiz_insight"]
    for _ in range(3):
        at.run()
    assert len(calls) == 2
    make_user(accounts, admin, "ny-ansatt")     # a write: the next rerun reads afresh
    at.run()
    assert len(calls) == 4
