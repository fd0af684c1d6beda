"""The embedded store: no lost updates under threads, atomic writes, a crash keeps old data."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from learning.records import ModuleProgress, User
from learning.storage.tinydb_repo import STALE_TEMP_SECONDS, TinyDBRepository

from .helpers import NOW

# The TinyDB files themselves: temp files, kill -9 mid-write (tests/test_repository_contract.py covers every adapter).
pytestmark = pytest.mark.tinydb_only


def progress_adding(lesson: str):
    def change(current: ModuleProgress | None) -> ModuleProgress:
        current = current or ModuleProgress(module_id="m", content_version=1, started_at=NOW, updated_at=NOW)
        return current.model_copy(update={"lessons_read": [*current.lessons_read, lesson]})
    return change


def test_twenty_threads_writing_at_once_lose_no_update(repo):
    barrier = threading.Barrier(20)

    def worker(n: int) -> None:
        barrier.wait()
        for k in range(5):
            repo.update_progress("0301-same", "m", progress_adding(f"t{n}-{k}"))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    read = TinyDBRepository(repo.root).progress_for("0301-same")["m"].lessons_read
    assert sorted(read) == sorted(f"t{n}-{k}" for n in range(20) for k in range(5))


def test_concurrent_user_creation_keeps_every_user(repo):
    barrier = threading.Barrier(20)

    def worker(n: int) -> None:
        barrier.wait()
        repo.add_user(User(id=f"0301-{n}", username=f"bruker{n}", name=f"B {n}", municipality="0301",
                           created_at=NOW))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(TinyDBRepository(repo.root).list_users()) == 20


KILLED_WRITER = """
import os, signal, sys
from datetime import datetime, UTC
from learning.records import ModuleProgress
from learning.storage.tinydb_repo import STALE_TEMP_SECONDS, TinyDBRepository
repo = TinyDBRepository(sys.argv[1])
now = datetime.now(UTC)
real_replace = os.replace
def die_before_replace(src, dst):
    os.kill(os.getpid(), signal.SIGKILL)   # the process dies with the new data only in the temp file
os.replace = die_before_replace
repo.update_progress("0301-k", "m", lambda p: p.model_copy(update={"lessons_read": ["new"] * 50000}))
"""


def test_writer_killed_mid_write_leaves_previous_data_readable(repo, tmp_path):
    repo.update_progress("0301-k", "m", progress_adding("old"))
    script = tmp_path / "writer.py"
    script.write_text(KILLED_WRITER, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(repo.root)], capture_output=True)
    assert result.returncode == -signal.SIGKILL
    assert list(Path(repo.root).rglob(".*.tmp")), "the killed writer should have left its temp file behind"
    reopened = TinyDBRepository(repo.root)  # the writer is gone (its lock is free): its temp file goes
    assert reopened.progress_for("0301-k")["m"].lessons_read == ["old"]
    assert not list(Path(repo.root).rglob(".*.tmp"))


def test_start_up_keeps_a_temp_file_whose_write_may_be_in_flight(repo):
    in_flight = repo.root / f".users.json.{os.getpid() + 1}.7.tmp"
    other = repo.root / ".notes.tmp"  # not a data file's: only its age tells
    in_flight.write_text("{}")
    other.write_text("x")
    fd = os.open(repo.root / ".users.json.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # another process writing users.json right now
        TinyDBRepository(repo.root)
        assert in_flight.exists() and other.exists()
    finally:
        os.close(fd)
    TinyDBRepository(repo.root)
    assert not in_flight.exists() and other.exists()
    old = time.time() - STALE_TEMP_SECONDS - 1
    os.utime(other, (old, old))
    TinyDBRepository(repo.root)
    assert not other.exists()


def test_files_on_disk_are_complete_json_after_every_write(repo):
    for n in range(10):
        repo.update_progress("0301-j", "m", progress_adding(f"l{n}"))
        path = repo._partition_path("0301-j")
        json.loads(path.read_text(encoding="utf-8"))


def test_failed_change_does_not_corrupt_memory_or_disk(repo):
    repo.update_progress("0301-f", "m", progress_adding("ok"))

    def broken(current):
        current.lessons_read.append("half-done")  # mutates, then fails
        raise RuntimeError("boom")

    with contextlib.suppress(RuntimeError):
        repo.update_progress("0301-f", "m", broken)
    assert repo.progress_for("0301-f")["m"].lessons_read == ["ok"]


def test_change_from_another_process_is_seen(repo, tmp_path):
    repo.update_progress("0301-x", "m", progress_adding("a"))
    assert repo.progress_for("0301-x")["m"].lessons_read == ["a"]
    other = TinyDBRepository(repo.root)
    other.update_progress("0301-x", "m", progress_adding("b"))
    assert repo.progress_for("0301-x")["m"].lessons_read == ["a", "b"]
    assert os.path.exists(repo._partition_path("0301-x"))


def test_data_version_changes_on_every_write(repo):
    before = repo.data_version()
    repo.update_progress("0301-v", "m", progress_adding("a"))
    after_write = repo.data_version()
    repo.progress_for("0301-v")
    assert after_write > before and repo.data_version() == after_write  # reads do not count
    repo.bulk_load_state({"0301-w": ([], [])})
    assert repo.data_version() > after_write


OTHER_PROCESS = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from learning.records import ModuleProgress
from learning.storage.tinydb_repo import TinyDBRepository
repo = TinyDBRepository(Path(sys.argv[1]))
now = datetime(2026, 3, 2, tzinfo=UTC)
repo.update_progress("0301-cli", "m", lambda _: ModuleProgress(module_id="m", content_version=1,
                                                                started_at=now, updated_at=now))
repo.put_doc("author_versions", "quiz:fra-cli:000001", {"from": "cli"})
"""


def test_a_write_by_another_process_moves_this_ones_versions(repo):
    """The command line beside the app: the app's caches (keyed on the versions) see the CLI's writes."""
    repo.put_doc("author_versions", "quiz:fra-app:000001", {"from": "app"})
    versions = repo.data_version(), repo.docs_version()
    subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(repo.root)], check=True, capture_output=True,
                   cwd=Path(__file__).resolve().parent.parent)
    assert repo.data_version() != versions[0] and repo.docs_version() != versions[1]
    assert "m" in repo.progress_for("0301-cli")
    assert [d["from"] for d in repo.list_docs("author_versions")] == ["app", "cli"]


def test_two_stores_on_one_folder_both_add_new_records(repo):
    """Each process has its own TinyDB objects: a new record must not take an id another one used."""
    other = TinyDBRepository(repo.root)
    for n, store in enumerate([repo, other, repo, other]):
        store.put_doc("author_drafts", f"quiz:q{n}", {"n": n})
        store.add_user(User(id=f"0301-u{n}", username=f"u{n}", name="U", municipality="0301", created_at=NOW))
        store.update_docs({("author_drafts", f"module:m{n}"): lambda _, n=n: {"n": n}})
    assert [d["n"] for d in other.list_docs("author_drafts")] == [0, 0, 1, 1, 2, 2, 3, 3]
    assert sorted(u.username for u in repo.list_users()) == ["u0", "u1", "u2", "u3"]
