"""First-run set-up makes exactly one administrator, however many submit it at once."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

from learning.services import passwords
from learning.services.accounts import AccountService
from learning.services.authz import PermissionDenied
from tests.stores import open_store


def submit(root: Path, n: int) -> str:
    """One first-run form, as its own session would send it."""
    try:
        AccountService(open_store(root)).create_first_admin(
            username=f"admin{n}", password="hemmelig123", name=f"Admin {n}", email="", municipality="0301")
        return "created"
    except PermissionDenied:
        return "refused"


def test_sixteen_threads_at_once_make_one_admin(data_dir):
    barrier = threading.Barrier(16)
    outcomes: list[str] = []

    def run(n: int) -> None:
        barrier.wait()
        outcomes.append(submit(data_dir, n))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created"] + ["refused"] * 15
    assert len(open_store(data_dir).list_users()) == 1


def _process(root: str, n: int, start, results) -> None:
    passwords.SCRYPT_N = 2**10  # a fresh process: the test's cheap scrypt
    start.wait()
    try:
        results.put(submit(Path(root), n))
    except Exception as exc:  # report it, so the test names the failure instead of waiting in vain
        results.put(f"{type(exc).__name__}: {exc}")


def test_six_processes_at_once_make_one_admin(data_dir):
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    processes = [context.Process(target=_process, args=(str(data_dir), n, start, results)) for n in range(6)]
    for process in processes:
        process.start()
    start.set()
    outcomes = sorted(results.get(timeout=120) for _ in processes)  # six fresh interpreters on two busy cores
    for process in processes:
        process.join(timeout=60)
    assert outcomes == ["created"] + ["refused"] * 5
    assert len(open_store(data_dir).list_users()) == 1
