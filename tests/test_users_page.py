"""The users page at scale: one page of users a run, search in the store, choosers from the page shown."""

from __future__ import annotations

from collections import Counter

from learning.records import Role, User
from learning.services.accounts import AccountService
from learning.services.gdpr import PersonalDataService
from learning.ui.pages.admin_users import PAGE_SIZE
from tests.stores import open_store

from .apptest_helpers import goto, restart_app, sign_in, text_input, values
from .helpers import NOW, admin_and_accounts, make_user
from .test_staff_page import Counting

OSLO = "0301"


def crowd(repo, count: int, start: int = 0) -> None:
    """Learners named «Ekstra 000…» (sorted before the others), added in one write."""
    repo.add_users(User(id=f"extra-{n:04d}", username=f"extra{n}", name=f"Ekstra {n:04d}", municipality=OSLO,
                        unit="Bjørkelia skole", created_at=NOW) for n in range(start, start + count))


def world(data_dir):
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "muni", role=Role.MUNICIPAL_ADMIN, area=None, unit="")
    make_user(accounts, admin, "zz.last")   # «Zz.Last»: by name after everyone, beyond the first page
    make_user(accounts, admin, "forf", role=Role.AUTHOR, area=None, unit="")
    crowd(repo, PAGE_SIZE + 20)
    return repo


def chooser(at, key: str) -> list[str]:
    return at.selectbox(key=key).options


def test_the_table_shows_one_page_and_search_finds_anyone_for_the_choosers(data_dir, fixture_content, monkeypatch):
    repo = world(data_dir)
    reads = Counter()
    for name in ("list_users", "login_state", "user_page"):
        real = getattr(type(repo), name)

        def counted(self, *args, _real=real, _name=name, **kwargs):
            reads[_name] += 1
            return _real(self, *args, **kwargs)
        monkeypatch.setattr(type(repo), name, counted)
    at = goto(sign_in(restart_app(), "muni", "passord123"), "brukere")
    assert len(at.dataframe[0].value) == PAGE_SIZE
    total = PAGE_SIZE + 20 + 4   # the crowd, admin, muni, zz.last, forf
    assert f"Viser 1–50 av {total} brukere." in values(at.caption)
    assert len(chooser(at, "admin-edit-user")) <= PAGE_SIZE and len(chooser(at, "gdpr-user")) <= PAGE_SIZE
    assert not any("(zz.last)" in o for o in chooser(at, "admin-edit-user"))
    reads.clear()
    text_input(at, "Søk etter navn eller brukernavn").input("ZZ.la").run()
    assert reads == {"user_page": 1, "login_state": 1}  # the one match; not everyone, not their sign-ins
    reads.clear()
    at.run()
    assert not reads  # a rerun with nothing changed reads nothing
    AccountService(repo).sign_in("zz.last", "passord123")  # someone signs in: the store's data version moves
    reads.clear()
    at.run()
    assert reads["login_state"] <= 1 and "list_users" not in reads  # the unused-accounts count is not read again
    assert list(at.dataframe[0].value["Brukernavn"]) == ["zz.last"]
    assert chooser(at, "admin-edit-user") == ["Zz.Last (zz.last)"] == chooser(at, "gdpr-user")
    text_input(at, "Søk etter navn eller brukernavn").input("").run()
    at.button(key="admin-users-next").click().run()
    shown = list(at.dataframe[0].value["Brukernavn"])
    assert f"Viser 51–{total} av {total} brukere." in values(at.caption) and "zz.last" in shown
    assert "forf" in shown and not any("(forf)" in o for o in chooser(at, "admin-edit-user"))  # not theirs to edit
    assert not any("(muni)" in o for o in chooser(at, "gdpr-user"))  # nor to erase themselves
    text_input(at, "Søk etter navn eller brukernavn").input("finnes-ikke").run()
    assert "Ingen brukere passer med søket." in values(at.info) and chooser(at, "admin-edit-user") == []


def test_a_page_of_users_costs_the_same_reads_however_many_users(data_dir):
    repo = open_store(data_dir)
    accounts, admin = admin_and_accounts(repo)
    calls = []
    for extra in (PAGE_SIZE, 4 * PAGE_SIZE):
        crowd(repo, extra, start=len(repo.list_users(OSLO)))
        counting = Counting(repo)
        page = AccountService(counting).user_page(admin, OSLO, "", 0, PAGE_SIZE)
        PersonalDataService(counting).last_sign_ins(admin, OSLO, page.users)
        assert len(page.users) == PAGE_SIZE
        calls.append(dict(counting.calls))
    assert calls[0] == calls[1] == {"user_page": 1, "login_state": PAGE_SIZE}  # never list_users
