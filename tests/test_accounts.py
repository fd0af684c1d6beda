"""Passwords, sign-in with lockout, first admin, and role checks in the account service."""

from __future__ import annotations

from datetime import timedelta

import pytest

from learning.errors import UserError
from learning.records import Role
from learning.services import passwords
from learning.services.accounts import AccountService, session_expired
from learning.services.authz import PermissionDenied

from .helpers import NOW, admin_and_accounts, make_user


@pytest.mark.real_scrypt
def test_hash_uses_scrypt_with_required_cost_and_salt():
    first = passwords.hash_password("riktig-passord")
    second = passwords.hash_password("riktig-passord")
    scheme, n, r, p, salt, digest = first.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**17), "8", "1")
    assert first != second, "each hash has its own salt"
    assert passwords.verify_password("riktig-passord", first)
    assert not passwords.verify_password("feil-passord", first)


@pytest.mark.parametrize("stored", [None, "", "md5$abc", "scrypt$x$8$1$a$b", "scrypt$1024$8$1$!!$??"])
def test_malformed_hash_never_matches(stored):
    assert not passwords.verify_password("noe", stored)


def test_first_admin_only_once(repo):
    accounts, admin = admin_and_accounts(repo)
    assert admin.role == Role.ADMIN and not accounts.needs_first_admin()
    with pytest.raises(PermissionDenied):
        accounts.create_first_admin(username="nummer2", password="passord123", name="To", email="",
                                    municipality="0301")


def test_sign_in_and_wrong_password(repo):
    accounts, _ = admin_and_accounts(repo)
    assert accounts.sign_in("ADMIN ", "admin-passord").username == "admin"
    with pytest.raises(UserError) as info:
        accounts.sign_in("admin", "feil")
    assert info.value.key == "accounts.wrong_credentials"
    with pytest.raises(UserError) as info:
        accounts.sign_in("finnes-ikke", "feil")
    assert info.value.key == "accounts.wrong_credentials"


def test_five_wrong_in_a_row_locks_then_time_unlocks(repo):
    now = [NOW]
    accounts = AccountService(repo, clock=lambda: now[0])
    accounts.create_first_admin(username="admin", password="admin-passord", name="A", email="", municipality="0301")
    for attempt in range(4):
        with pytest.raises(UserError) as info:
            accounts.sign_in("admin", "feil")
        assert info.value.key == "accounts.wrong_credentials", attempt
    with pytest.raises(UserError) as info:
        accounts.sign_in("admin", "feil")
    assert info.value.key == "accounts.locked"
    with pytest.raises(UserError) as info:
        accounts.sign_in("admin", "admin-passord")  # even the right password waits
    assert info.value.key == "accounts.locked"
    now[0] = NOW + timedelta(minutes=16)
    assert accounts.sign_in("admin", "admin-passord").username == "admin"


def test_success_resets_failure_count(repo):
    accounts, _ = admin_and_accounts(repo)
    for _ in range(4):
        with pytest.raises(UserError):
            accounts.sign_in("admin", "feil")
    accounts.sign_in("admin", "admin-passord")
    for _ in range(4):
        with pytest.raises(UserError) as info:
            accounts.sign_in("admin", "feil")
        assert info.value.key == "accounts.wrong_credentials"


@pytest.mark.parametrize("field,value,key", [
    ("password", "kort", "accounts.password_too_short"),
    ("username", "A B", "accounts.username_invalid"),
    ("username", "admin", "accounts.username_taken"),
    ("municipality", "9999", "accounts.municipality_unknown"),
    ("email", "ikke-epost", "accounts.email_invalid"),
    ("name", "  ", "accounts.name_required"),
])
def test_create_user_rules(repo, field, value, key):
    accounts, admin = admin_and_accounts(repo)
    fields = dict(username="kari", password="passord123", name="Kari", email="", municipality="0301",
                  role=Role.LEARNER)
    fields[field] = value
    with pytest.raises(UserError) as info:
        accounts.create_user(admin, **fields)
    assert info.value.key == key


@pytest.mark.parametrize("role", [Role.LEARNER, Role.MANAGER, Role.COORDINATOR, Role.AUTHOR])
def test_only_admins_create_and_list_users(repo, role):
    accounts, admin = admin_and_accounts(repo)
    actor = make_user(accounts, admin, f"u-{role.value}", role=role)
    with pytest.raises(PermissionDenied):
        accounts.create_user(actor, username="x-new", password="passord123", name="X", email="",
                             municipality="0301", role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        accounts.list_users(actor)


def test_profile_edit_own_name_and_email_only_unless_admin(repo):
    accounts, admin = admin_and_accounts(repo)
    kari = make_user(accounts, admin, "kari")
    ola = make_user(accounts, admin, "ola")
    updated = accounts.update_profile(kari, kari.id, name="Kari N", email="kari@example.invalid")
    assert (updated.name, updated.email, updated.municipality, updated.unit) == (
        "Kari N", "kari@example.invalid", "0301", "Bjørkelia skole")
    with pytest.raises(PermissionDenied):
        accounts.update_profile(kari, ola.id, name="X", email="")
    accounts.update_profile(admin, ola.id, name="Ola N", email="")
    assert repo.get_user(ola.id).name == "Ola N"


def test_deactivated_user_cannot_sign_in_or_keep_session(repo):
    accounts, admin = admin_and_accounts(repo)
    kari = make_user(accounts, admin, "kari")
    accounts.set_active(admin, kari.id, False)
    assert accounts.current(kari.id) is None
    with pytest.raises(UserError):
        accounts.sign_in("kari", "passord123")


def test_change_password(repo):
    accounts, admin = admin_and_accounts(repo)
    kari = make_user(accounts, admin, "kari")
    with pytest.raises(UserError):
        accounts.change_password(kari, "feil-gammelt", "nytt-passord")
    accounts.change_password(kari, "passord123", "nytt-passord")
    assert accounts.sign_in("kari", "nytt-passord").id == kari.id


def test_idle_session_expires_after_30_minutes():
    assert not session_expired(None, NOW)
    assert not session_expired(NOW, NOW + timedelta(minutes=30))
    assert session_expired(NOW, NOW + timedelta(minutes=31))


def test_admin_changes_role_and_it_applies_at_once(repo):
    accounts, admin = admin_and_accounts(repo)
    kari = make_user(accounts, admin, "kari")
    with pytest.raises(PermissionDenied):
        accounts.set_role(kari, kari.id, Role.ADMIN)
    from learning.content.models import ServiceArea
    accounts.set_role(admin, kari.id, Role.MANAGER, ServiceArea.SKOLE)
    assert (accounts.current(kari.id).role, accounts.current(kari.id).manager_area) == (Role.MANAGER, ServiceArea.SKOLE)
    with pytest.raises(UserError):
        accounts.set_role(admin, admin.id, Role.LEARNER)
