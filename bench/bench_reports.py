"""Benchmark: server time for one municipality's dashboard and the network view.

All N staff are in one municipality (the worst case for its dashboard); the
network view reads every staff member's file whatever the split, so it is
measured on the same data. Each person has progress in about 70 % of the
modules, with a quiz attempt where the lessons are done. Prints medians.

Run: python bench/bench_reports.py [--sizes 2000,20000,100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from learning.config import content_root
from learning.content.catalog import load_catalog
from learning.records import Role, User
from learning.services.accounts import system_actor
from learning.services.reports import ReportService
from learning.storage.tinydb_repo import KEY, TinyDBRepository

NOW = datetime(2026, 11, 23, tzinfo=UTC)
AREAS = ["barnehage", "skole", "barnevern", "psykisk-helse"]


def build(root: Path, staff: int, catalog) -> TinyDBRepository:
    repo = TinyDBRepository(root)
    rng = random.Random(7)
    users = [User(id=f"0301-{n:07d}", username=f"b{n}", name=f"Person {n}", municipality="0301",
                  service_area=AREAS[n % 4], unit=f"Enhet {n % 40}", role=Role.LEARNER, created_at=NOW)
             for n in range(staff)]
    repo.add_users(users)
    modules = list(catalog.modules.values())
    for user in users:
        progress, attempts = {}, {}
        for module in modules:
            if rng.random() > 0.7:
                continue
            when = (NOW - timedelta(days=rng.randint(0, 180))).isoformat()
            done = rng.random() < 0.6
            progress[str(len(progress) + 1)] = {
                KEY: module.id, "module_id": module.id, "content_version": 1,
                "lessons_read": module.lesson_ids() if done else [], "current_lesson": None, "view": "lesson",
                "quiz_passed": done, "best_percent": 80 if done else None, "started_at": when, "updated_at": when,
                "completed_at": when if done else None, "completed_version": 1 if done else None,
                "earlier_completions": []}
            quiz = catalog.quiz_for(module)
            if done and quiz:
                step = quiz.steps[0]
                attempts[str(len(attempts) + 1)] = {
                    KEY: f"a{len(attempts)}", "id": f"a{len(attempts)}", "quiz_id": quiz.id, "quiz_version": 1,
                    "module_id": module.id, "started_at": when, "finished_at": when, "feedback_pending": False,
                    "path": [{"step_id": step.id, "choice_index": rng.randrange(len(step.choices)), "points": 1,
                              "max_points": 3}]}
        path = repo._partition_path(user.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"progress": progress, "attempts": attempts}), encoding="utf-8")
    os.sync()
    return repo


def timed(action, runs: int) -> tuple[float, float]:
    """First call (files not yet cached in the process) and the median of the next runs."""
    start = time.perf_counter()
    action()
    first = time.perf_counter() - start
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return first, statistics.median(samples)


def measure(service: ReportService, actor: User, runs: int):
    return (timed(lambda: service.dashboard(actor, "0301"), runs), timed(lambda: service.network(actor), runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    catalog = load_catalog(content_root())
    print(f"{len(catalog.modules)} modules; times are server time in the report service")
    actor = system_actor()
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            build(Path(tmp), size, catalog)
            built = time.perf_counter() - start
            service = ReportService(TinyDBRepository(Path(tmp)), catalog, clock=lambda: NOW)
            (d_first, d_median), (n_first, n_median) = measure(service, actor, args.runs)
            print(f"{size:>7} staff (data built in {built:.0f} s): dashboard first {d_first:.2f} s, "
                  f"median {d_median:.2f} s; network first {n_first:.2f} s, median {n_median:.2f} s")


if __name__ == "__main__":
    main()
