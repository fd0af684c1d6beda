"""Benchmark: content load+validate, one progress write and one "my progress" read.

Prints medians of several runs at 1 000, 10 000 and 100 000 progress records
(10 records per user). Run: python bench/bench_store.py [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from learning.config import content_root
from learning.content.catalog import load_catalog
from learning.records import ModuleProgress
from learning.storage.tinydb_repo import TinyDBRepository

RECORDS_PER_USER = 10
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.2f} ms"


def timed(action, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


def record(module: int) -> ModuleProgress:
    return ModuleProgress(module_id=f"modul-{module}", content_version=1, lessons_read=["a", "b"],
                          current_lesson="c", started_at=NOW, updated_at=NOW)


def add_lesson(progress: ModuleProgress) -> ModuleProgress:
    return progress.model_copy(update={"lessons_read": [*progress.lessons_read, "x"]})


def bench_size(total: int, runs: int) -> None:
    users = total // RECORDS_PER_USER
    with tempfile.TemporaryDirectory() as tmp:
        repo = TinyDBRepository(Path(tmp))
        state = {f"0301-{n:07d}": ([record(m) for m in range(RECORDS_PER_USER)], []) for n in range(users)}
        repo.bulk_load_state(state)
        ids = list(state)
        rng = random.Random(1)

        def write() -> None:
            user = rng.choice(ids)
            repo.update_progress(user, "modul-3", add_lesson)

        def read_cold() -> None:
            repo._partitions.clear()  # nothing cached: the user's file is opened and parsed
            repo.progress_for(rng.choice(ids))

        def read_warm() -> None:
            repo.progress_for(rng.choice(ids[:50]))

        for user in ids[:50]:
            repo.progress_for(user)
        print(f"{total:>7} records ({users} users): write {median_ms(timed(write, runs))}, "
              f"my progress read {median_ms(timed(read_warm, runs))} (cached), "
              f"{median_ms(timed(read_cold, runs))} (from disk)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    root = content_root()
    samples = timed(lambda: load_catalog(root), 5)
    catalog = load_catalog(root)
    print(f"load + validate all content ({len(catalog.modules)} modules, {len(catalog.quizzes)} quizzes): "
          f"{median_ms(samples)}")
    for size in (int(s) for s in args.sizes.split(",")):
        bench_size(size, args.runs)


if __name__ == "__main__":
    main()
