"""Benchmark: the TinyDB and the PostgreSQL adapter side by side in one run, with ratios.

- progress write and "my progress" read at 1 000, 10 000 and 100 000 progress records
  (10 per user; medians of many calls; TinyDB read both from its in-process cache and from disk);
- at 2 000, 20 000 and 100 000 staff x the catalog's modules, all in one municipality: the
  dashboard, a staff page (50 rows, sorted; and a search), the network view, quiz insight,
  a progress write and "my progress" (first call and median). The same generated data is
  loaded into both stores through their bulk paths (COPY; one file per person); TinyDB
  only up to --tinydb-max staff (it stops being the right store long before 100 000).

PostgreSQL: the database in LEARNING_DATABASE_URL if set (it must be empty at start; the run
empties it again between sizes), otherwise a throwaway cluster started as the tests start
theirs (tests/pg_cluster.py) and removed at the end.

Run: python bench/bench_backends.py [--records 1000,10000,100000] [--staff 2000,20000,100000] [--runs 30]
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
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.pg_cluster: one cluster launcher

from bench_reports import NOW  # noqa: E402
from bench_store import RECORDS_PER_USER, add_lesson, record, timed  # noqa: E402

from learning.bootstrap import DATABASE_URL_ENV  # noqa: E402
from learning.config import content_root  # noqa: E402
from learning.content.catalog import load_catalog  # noqa: E402
from learning.content.models import ServiceArea  # noqa: E402
from learning.records import ModuleProgress, QuizAttempt, Role, StepChoice, User  # noqa: E402
from learning.services.accounts import system_actor  # noqa: E402
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


def add(size: str, what: str, tiny: float | None, pg: float | None) -> None:
    """One table row: both times and PostgreSQL's as a multiple of TinyDB's ("–" where not run)."""
    ratio = f"{pg / tiny:>8.2f}" if tiny and pg else f"{'–':>8}"
    print(f"  {size:>15}  {what:<38} {fmt(tiny):>10} {fmt(pg):>10} {ratio}", flush=True)


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "–"
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


AREAS = [ServiceArea.BARNEHAGE, ServiceArea.SKOLE, ServiceArea.BARNEVERN, ServiceArea.PSYKISK_HELSE]


def staff_data(staff: int, catalog) -> tuple[list[User], dict]:
    """``staff`` people in one municipality (its dashboard's worst case), 40 units, four service areas.

    About 70 % of the modules started, 60 % of those completed with a scenario attempt that walks
    up to four steps; the same data for both stores.
    """
    rng = random.Random(7)
    users = [User(id=f"0301-{n:07d}", username=f"b{n}", name=f"Person {rng.randrange(10**6):06d}",
                  municipality="0301", service_area=AREAS[n % 4], unit=f"Enhet {n % 40}", role=Role.LEARNER,
                  created_at=NOW) for n in range(staff)]
    state = {}
    for user in users:
        progress, attempts = [], []
        for module in catalog.modules.values():
            if rng.random() > 0.7:
                continue
            when = NOW - timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 1440))
            done = rng.random() < 0.6
            progress.append(ModuleProgress(
                module_id=module.id, content_version=1, lessons_read=module.lesson_ids() if done else [],
                quiz_passed=done, best_percent=80 if done else None, started_at=when, updated_at=when,
                completed_at=when if done else None, completed_version=1 if done else None))
            quiz = catalog.quiz_for(module)
            if done and quiz:
                steps = {s.id: s for s in quiz.steps}
                step, path = quiz.steps[0], []
                while step is not None and len(path) < 4:
                    index = rng.randrange(len(step.choices))
                    path.append(StepChoice(step_id=step.id, choice_index=index, points=1, max_points=2))
                    step = steps.get(step.choices[index].next or "")
                attempts.append(QuizAttempt(id=f"a{len(attempts)}", quiz_id=quiz.id, quiz_version=1,
                                            module_id=module.id, started_at=when, finished_at=when, path=path))
        state[user.id] = (progress, attempts)
    return users, state


def staff_progress_ops(repo, ids: list[str], runs: int, module_id: str) -> tuple[float, float]:
    """A lesson read (progress write) by random staff, and "my progress" of people active now."""
    rng = random.Random(2)

    def read_lesson(p: ModuleProgress | None) -> ModuleProgress:
        if p is None:
            return ModuleProgress(module_id=module_id, content_version=1, started_at=NOW, updated_at=NOW)
        return p.model_copy(update={"lessons_read": [*p.lessons_read, "x"], "updated_at": NOW})

    write = median(timed(lambda: repo.update_progress(rng.choice(ids), module_id, read_lesson), runs))
    active = ids[:50]
    for user_id in active:
        repo.progress_for(user_id)
    return write, median(timed(lambda: repo.progress_for(rng.choice(active)), runs))


def load(repo, users: list[User], state: dict) -> None:
    """The stores' bulk paths: COPY on PostgreSQL, one file per person on TinyDB."""
    for start in range(0, len(users), 20_000):
        repo.add_users(users[start:start + 20_000])
        repo.bulk_load_state({u.id: state[u.id] for u in users[start:start + 20_000]})


def report_calls(repo, catalog) -> dict[str, Callable[[], object]]:
    service = ReportService(repo, catalog, clock=lambda: NOW)
    actor = system_actor()
    return {
        "dashboard": lambda: service.dashboard(actor, "0301"),
        "staff page (50, by name)": lambda: service.staff_page(actor, "0301"),
        "staff page (50, by last active)": lambda: service.staff_page(actor, "0301", sort="last_active", page=3),
        "staff page (search 'person 12')": lambda: service.staff_page(actor, "0301", search="person 12"),
        "network view": lambda: service.network(actor),
        "quiz insight (municipality)": lambda: service.quiz_insight(actor, "0301"),
    }


def bench_staff(staff: int, url: str, runs: int, catalog, tiny_max: int) -> None:
    size = f"{staff:,} staff".replace(",", " ")
    start = time.perf_counter()
    users, state = staff_data(staff, catalog)
    print(f"  {size:>15}  data generated in {time.perf_counter() - start:.1f} s", flush=True)
    pg_cluster.reset(url)
    pg = PostgresRepository(url, pool_size=2)
    start = time.perf_counter()
    load(pg, users, state)
    with pg._conn() as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"  {size:>15}  loaded into PostgreSQL in {time.perf_counter() - start:.1f} s (COPY, then ANALYZE)",
          flush=True)
    ids = [u.id for u in users]
    results: dict[str, list[float | None]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        stores: list[object | None] = [None, pg]
        if staff <= tiny_max:
            tiny = TinyDBRepository(Path(tmp))
            start = time.perf_counter()
            load(tiny, users, state)
            print(f"  {size:>15}  loaded into TinyDB in {time.perf_counter() - start:.1f} s", flush=True)
            stores[0] = TinyDBRepository(Path(tmp))  # a fresh process's store: nothing cached
        del users, state
        try:
            for index, repo in enumerate(stores):
                if repo is None:
                    continue
                for what, call in report_calls(repo, catalog).items():
                    first = timed(call, 1)[0]
                    results.setdefault(f"{what}, first call", [None, None])[index] = first
                    results.setdefault(f"{what}, median", [None, None])[index] = median(timed(call, runs))
                write, read = staff_progress_ops(repo, ids, runs * 6, next(iter(catalog.modules)))
                results.setdefault("progress write", [None, None])[index] = write
                results.setdefault("my progress", [None, None])[index] = read
        finally:
            pg.close()
    for what, (tiny_s, pg_s) in results.items():
        add(size, what, tiny_s, pg_s)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", default="1000,10000,100000")
    parser.add_argument("--staff", default="2000,20000,100000")
    parser.add_argument("--tinydb-max", type=int, default=20_000, help="largest staff size also run on TinyDB")
    parser.add_argument("--runs", type=int, default=30, help="calls per progress median")
    parser.add_argument("--board-runs", type=int, default=5, help="calls per report median")
    args = parser.parse_args()
    catalog = load_catalog(content_root())
    with database() as url:
        print(f"  {'size':>15}  {'what':<38} {'TinyDB':>10} {'PostgreSQL':>10} {'PG/TinyDB':>8}")
        for total in (int(s) for s in args.records.split(",") if s):
            bench_records(total, url, args.runs)
        for staff in (int(s) for s in args.staff.split(",") if s):
            bench_staff(staff, url, args.board_runs, catalog, args.tinydb_max)


if __name__ == "__main__":
    main()
