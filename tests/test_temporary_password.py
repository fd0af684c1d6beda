"""One-time passwords from an admin: valid for a few days, only to choose a new password."""

from __future__ import annotations

from datetime import timedelta

import pytest

from learning.errors import UserError
from learning.records import Role
from learning.services.accounts import TEMPORARY_DAYS, AccountService
from learning.services.authz import PermissionDenied
from tests.stores import open_store

from .apptest_helpers import button, click, goto, menu, restart_app, sign_in, text_input, values
from .helpers import NOW, admin_and_accounts, make_user


class Clock:
    def __init__(self):
        self.now = NOW

    def __call__(self):
        return self.now


def test_issue_sign_in_change_and_expiry(repo):
    _, admin = admin_and_accounts(repo)
    clock = Clock()
    accounts = AccountService(repo, clock=clock)
    kari = make_user(accounts, admin, "kari")
    for _ in range(5):  # locked out after five wrong guesses
        with pytest.raises(UserError):
            accounts.sign_in("kari", "feil-passord")
    password = accounts.issue_temporary_password(admin, kari.id)
    with pytest.raises(UserError):
        accounts.sign_in("kari", "passord123")  # the old password is gone
    signed_in = accounts.sign_in("kari", password)  # and the lockout lifted
    assert signed_in.temporary_password_until == NOW + timedelta(days=TEMPORARY_DAYS)
    with pytest.raises(UserError) as same:
        accounts.change_password(signed_in, password, password)
    assert same.value.key == "accounts.password_same"
    accounts.change_password(signed_in, password, "mitt-nye-passord")
    assert repo.get_user(kari.id).temporary_password_until is None
    assert accounts.sign_in("kari", "mitt-nye-passord").id == kari.id

    late = accounts.issue_temporary_password(admin, kari.id)
    clock.now = NOW + timedelta(days=TEMPORARY_DAYS, minutes=1)
    with pytest.raises(UserError) as info:
        accounts.sign_in("kari", late)
    assert info.value.key == "accounts.temporary_expired"


def test_only_the_users_own_admins_issue_one(repo):
    accounts, admin = admin_and_accounts(repo)
    kari = make_user(accounts, admin, "kari")
    bergen_admin = make_user(accounts, admin, "muni-bergen", role=Role.MUNICIPAL_ADMIN, municipality="4601",
                             area=None, unit="")
    oslo_admin = make_user(accounts, admin, "muni-oslo", role=Role.MUNICIPAL_ADMIN, area=None, unit="")
    manager = make_user(accounts, admin, "leder", role=Role.MANAGER)
    for actor in (bergen_admin, manager, kari):
        with pytest.raises(PermissionDenied):
            accounts.issue_temporary_password(actor, kari.id)
    assert accounts.issue_temporary_password(oslo_admin, kari.id)
    with pytest.raises(PermissionDenied):  # not over the global admin
        accounts.issue_temporary_password(oslo_admin, admin.id)


def test_in_the_app_a_temporary_password_leads_only_to_a_new_password(data_dir, fixture_content):
    repo = open_store(data_dir)
    accounts, _ = admin_and_accounts(repo)
    make_user(accounts, repo.find_user("admin"), "kari")
    at = goto(sign_in(restart_app(), "admin", "admin-passord"), "brukere")
    kari = repo.find_user("kari")
    next(s for s in at.selectbox if s.label == "Bruker").set_value(kari.id).run()
    click(at, "Lag engangspassord")
    shown = next(i.value for i in at.info if i.value.startswith("Engangspassord for kari"))
    password = shown.split("`")[1]

    at = sign_in(restart_app(), "kari", password)
    assert menu(at) == {""} and values(at.title) == ["Velg et nytt passord"]  # one page, the default
    assert values(goto(at, "min-laering").title) == ["Velg et nytt passord"]  # nothing else is reachable
    at = goto(at, "")
    text_input(at, "Engangspassordet").input(password)
    text_input(at, "Nytt passord").input("kari-sitt-eget")
    text_input(at, "Gjenta passordet").input("kari-sitt-eget")
    click(at, "Bytt passord")
    assert values(at.title) == ["Kompetansemoduler"]
    assert values(at.success) == ["Passordet er byttet. Velkommen!"]
    assert "min-laering" in menu(at)
    button(at, "Logg ut")
