"""Benchmark: the TinyDB and the PostgreSQL adapter side by side in one run, with ratios.

- progress write and "my progress" read at 1 000, 10 000 and 100 000 progress records
  (10 per user; medians of many calls; TinyDB read both from its in-process cache and from disk);
- one municipality's dashboard (ReportService.dashboard) at 2 000 and 20 000 staff: the data
  is built in TinyDB as in bench_reports.py, then moved into PostgreSQL by copy-data (timed).

PostgreSQL: the database in LEARNING_DATABASE_URL if set (it must be empty at start; the run
empties it again between sizes), otherwise a throwaway cluster started as the tests start
theirs (tests/pg_cluster.py) and removed at the end.

Run: python bench/bench_backends.py [--records 1000,10000,100000] [--staff 2000,20000] [--runs 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.pg_cluster: one cluster launcher

from bench_reports import NOW, build  # noqa: E402
from bench_store import RECORDS_PER_USER, add_lesson, record, timed  # noqa: E402

from learning.bootstrap import DATABASE_URL_ENV  # noqa: E402
from learning.config import content_root  # noqa: E402
from learning.content.catalog import load_catalog  # noqa: E402
from learning.services.accounts import system_actor  # noqa: E402
from learning.services.copy_data import copy_store  # noqa: E402
from learning.services.reports import ReportService  # noqa: E402
from learning.storage.postgres_repo import PostgresRepository  # noqa: E402
from learning.storage.tinydb_repo import TinyDBRepository  # noqa: E402
from tests import pg_cluster  # noqa: E402


@contextmanager
def database() -> Iterator[str]:
    """An empty, migrated PostgreSQL database: LEARNING_DATABASE_URL, or a throwaway cluster's."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    cluster = None
    if not url:
        bin_dir = pg_cluster.bindir()
        if bin_dir is None:
            sys.exit("PostgreSQL is missing: install Debian's postgresql (bash scripts/setup-tests.sh) "
                     f"or set {DATABASE_URL_ENV}")
        cluster = pg_cluster.Cluster(bin_dir).start()
        url = cluster.create_database("learning_bench")
    repo = PostgresRepository(url, pool_size=2, migrate=True)
    try:
        if not repo.is_new():
            sys.exit(f"{repo.where} holds data: the benchmark needs an empty database")
    finally:
        repo.close()
    try:
        yield url
    finally:
        if cluster is not None:
            cluster.stop()


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def add(size: str, what: str, tiny: float, pg: float) -> None:
    """One table row: both times and PostgreSQL's as a multiple of TinyDB's."""
    print(f"  {size:>15}  {what:<34} {fmt(tiny):>10} {fmt(pg):>10} {pg / tiny:>8.2f}", flush=True)


def fmt(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"


def progress_ops(repo, ids: list[str], runs: int) -> tuple[float, float]:
    """Median progress write on random users and median "my progress" read of recently active users."""
    rng = random.Random(1)
    write = median(timed(lambda: repo.update_progress(rng.choice(ids), "modul-3", add_lesson), runs))
    active = ids[:50]  # people using the app now: TinyDB holds their files in its cache
    for user_id in active:
        repo.progress_for(user_id)
    read = median(timed(lambda: repo.progress_for(rng.choice(active)), runs))
    return write, read


def bench_records(total: int, url: str, runs: int) -> None:
    users = total // RECORDS_PER_USER
    state = {f"0301-{n:07d}": ([record(m) for m in range(RECORDS_PER_USER)], []) for n in range(users)}
    ids = list(state)
    size = f"{total:,} records".replace(",", " ")
    with tempfile.TemporaryDirectory() as tmp:
        tiny = TinyDBRepository(Path(tmp))
        tiny.bulk_load_state(state)
        t_write, t_read = progress_ops(tiny, ids, runs)

        def read_cold() -> None:
            tiny._partitions.clear()  # nothing cached: the user's file is opened and parsed
            tiny.progress_for(random.choice(ids))

        t_cold = median(timed(read_cold, runs))
    pg_cluster.reset(url)
    pg = PostgresRepository(url, pool_size=2)
    try:
        pg.bulk_load_state(state)
        p_write, p_read = progress_ops(pg, ids, runs)
    finally:
        pg.close()
    add(size, "progress write", t_write, p_write)
    add(size, "my progress (TinyDB cached)", t_read, p_read)
    add(size, "my progress (TinyDB from disk)", t_cold, p_read)


def bench_staff(staff: int, url: str, runs: int, catalog) -> None:
    actor = system_actor()
    size = f"{staff:,} staff".replace(",", " ")
    with tempfile.TemporaryDirectory() as tmp:
        tiny = build(Path(tmp), staff, catalog)
        pg_cluster.reset(url)
        pg = PostgresRepository(url, pool_size=2)
        try:
            start = time.perf_counter()
            copy_store(tiny, pg)
            copied = time.perf_counter() - start
            boards: list[Callable[[], object]] = [
                lambda repo=repo: ReportService(repo, catalog, clock=lambda: NOW).dashboard(actor, "0301")
                for repo in (TinyDBRepository(Path(tmp)), pg)]
            firsts = [timed(board, 1)[0] for board in boards]
            medians = [median(timed(board, runs)) for board in boards]
        finally:
            pg.close()
    add(size, "dashboard, first call", *firsts)
    add(size, "dashboard, median", *medians)
    print(f"  {size:>15}  copy-data TinyDB -> PostgreSQL: {copied:.1f} s (read, write, read back, count)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", default="1000,10000,100000")
    parser.add_argument("--staff", default="2000,20000")
    parser.add_argument("--runs", type=int, default=30, help="calls per progress median")
    parser.add_argument("--board-runs", type=int, default=5, help="calls per dashboard median")
    args = parser.parse_args()
    catalog = load_catalog(content_root())
    with database() as url:
        print(f"  {'size':>15}  {'what':<34} {'TinyDB':>10} {'PostgreSQL':>10} {'PG/TinyDB':>8}")
        for total in (int(s) for s in args.records.split(",") if s):
            bench_records(total, url, args.runs)
        for staff in (int(s) for s in args.staff.split(",") if s):
            bench_staff(staff, url, args.board_runs, catalog)


if __name__ == "__main__":
    main()
