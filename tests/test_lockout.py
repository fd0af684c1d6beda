"""Sign-in lockout under parallel guesses: at most 5 password checks per lockout window.

The store is real (TinyDB files in a temp folder); only the password check is wrapped,
to count the calls and to make each one slow, as the real scrypt is, so that guesses
overlap the way they do in production.
"""

from __future__ import annotations

import multiprocessing
import threading
import time

import pytest

from learning.errors import UserError
from learning.services import accounts as accounts_module
from learning.services.accounts import MAX_FAILURES, AccountService
from tests.stores import open_store, reopen

from .helpers import admin_and_accounts, make_user

SLOW_CHECK = 0.05  # seconds: long enough that every parallel guess overlaps the others


def slow_counting_verify(counter: list[int], guard: threading.Lock):
    real = accounts_module.verify_password

    def verify(password: str, stored: str | None) -> bool:
        with guard:
            counter[0] += 1
        time.sleep(SLOW_CHECK)
        return real(password, stored)

    return verify


def test_sixteen_parallel_wrong_guesses_get_five_checks_and_lock(repo, monkeypatch):
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "kari", password="kari-passord")
    checks, guard = [0], threading.Lock()
    monkeypatch.setattr(accounts_module, "verify_password", slow_counting_verify(checks, guard))
    barrier = threading.Barrier(16)
    outcomes: list[str] = []

    def guess() -> None:
        service = AccountService(reopen(repo))  # one per session, as in the app
        barrier.wait()
        try:
            service.sign_in("kari", "feil-passord")
            outcomes.append("signed in")
        except UserError as exc:
            outcomes.append(exc.key)

    threads = [threading.Thread(target=guess) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert checks[0] == MAX_FAILURES
    assert len(outcomes) == 16 and "signed in" not in outcomes
    assert outcomes.count("accounts.wrong_credentials") == MAX_FAILURES - 1
    state = reopen(repo).login_state(repo.find_user("kari").id)
    assert state.locked_until is not None
    with pytest.raises(UserError) as info:
        AccountService(reopen(repo)).sign_in("kari", "kari-passord")
    assert info.value.key == "accounts.locked"
    assert checks[0] == MAX_FAILURES, "a locked account is not checked, even with the right password"


def test_a_right_password_among_parallel_guesses_signs_in_and_resets(repo, monkeypatch):
    accounts, admin = admin_and_accounts(repo)
    kari = make_user(accounts, admin, "kari", password="kari-passord")
    checks, guard = [0], threading.Lock()
    monkeypatch.setattr(accounts_module, "verify_password", slow_counting_verify(checks, guard))
    for _ in range(3):
        with pytest.raises(UserError):
            accounts.sign_in("kari", "feil")
    assert accounts.sign_in("kari", "kari-passord").id == kari.id
    assert repo.login_state(kari.id).failures == 0 and repo.login_state(kari.id).locked_until is None


def _guess_in_another_process(data_dir: str, barrier, guesses: int) -> tuple[int, list[str]]:
    """Run in a child process: wrong guesses against the shared data folder; return checks made."""
    checks, guard = [0], threading.Lock()
    accounts_module.verify_password = slow_counting_verify(checks, guard)
    service = AccountService(open_store(data_dir))
    barrier.wait()
    outcomes = []
    for _ in range(guesses):
        try:
            service.sign_in("kari", "feil-passord")
            outcomes.append("signed in")
        except UserError as exc:
            outcomes.append(exc.key)
    return checks[0], outcomes


def test_parallel_guesses_from_several_processes_get_five_checks(repo, data_dir):
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "kari", password="kari-passord")
    processes, guesses = 8, 3
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(processes)
        with context.Pool(processes) as pool:
            results = pool.starmap(_guess_in_another_process,
                                   [(str(data_dir), barrier, guesses)] * processes, chunksize=1)
    assert sum(checks for checks, _ in results) == MAX_FAILURES
    outcomes = [o for _, found in results for o in found]
    assert len(outcomes) == processes * guesses and "signed in" not in outcomes
    assert reopen(repo).login_state(repo.find_user("kari").id).locked_until is not None
