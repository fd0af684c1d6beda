"""Benchmark: ``python -m learning seed-demo --size N`` as a user runs it, into an empty store.

Each run is a fresh process on a fresh data folder (or a fresh PostgreSQL database). Prints,
per size, the median of the runs: wall time, CPU (user + system, worker processes included),
the peak of the whole process tree's memory (sum of PSS, sampled every 50 ms: workers share
pages with the parent, so RSS would count them twice) and the largest single process's
peak RSS (what ``/usr/bin/time -v`` shows). Target (issue 18): 100 000 staff in <= 20 s
and <= 1 GB on the embedded store.

``--source DIR`` runs another checkout's code with this interpreter (e.g. a ``git archive``
of main, for a before/after table). ``--backend postgres`` uses a throwaway cluster
(tests/pg_cluster.py), one new database per run.

Run: python bench/bench_seed.py [--sizes 2000,20000,100000] [--runs 3] [--backend tinydb|postgres]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.pg_cluster: one cluster launcher


@dataclass(frozen=True)
class Run:
    wall: float
    user: float
    system: float
    peak_tree_mb: float
    max_rss_mb: float


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (from each process's parent in /proc/<pid>/stat)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, grew = {pid}, True
    while grew:
        found = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return sorted(tree)


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_once(size: int, env: dict[str, str], source: Path) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "learning", "seed-demo", "--size", str(size)], cwd=source,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.05):
            peak = max(peak, sum(_pss_kb(pid) for pid in _descendants(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode != 0:
        sys.exit(f"seed-demo --size {size} failed ({process.returncode}):\n{error[-2000:]}")
    return Run(wall, usage.ru_utime, usage.ru_stime, peak / 1024, usage.ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,20000,100000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", choices=["tinydb", "postgres"], default="tinydb")
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout whose code runs (default: this one)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("LEARNING_DATABASE_URL", "LEARNING_DATA_DIR")}
    cluster = None
    if args.backend == "postgres":
        from learning.storage.postgres_repo import migrate_database
        from tests import pg_cluster

        bin_dir = pg_cluster.bindir()
        if bin_dir is None:
            sys.exit("PostgreSQL is missing: install Debian's postgresql (bash scripts/setup-tests.sh)")
        cluster = pg_cluster.Cluster(bin_dir).start()
    print(f"seed-demo on {args.backend}, {args.runs} run(s) per size, code from {args.source}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    print(f"  {'staff':>7}  {'wall':>8}  {'user+sys':>9}  {'user':>7}  {'sys':>7}  {'tree peak':>10}  {'max RSS':>9}")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            runs = []
            for n in range(args.runs):
                with tempfile.TemporaryDirectory(prefix="bench-seed-") as tmp:
                    run_env = {**env, "LEARNING_DATA_DIR": str(Path(tmp) / "data")}
                    if cluster is not None:
                        url = cluster.create_database(f"seed_{size}_{n}")
                        migrate_database(url)
                        run_env["LEARNING_DATABASE_URL"] = url
                    runs.append(run_once(size, run_env, args.source))
                    shutil.rmtree(Path(tmp) / "data", ignore_errors=True)

            def med(field: str, runs: list[Run] = runs) -> float:
                return statistics.median(getattr(r, field) for r in runs)

            cpu = statistics.median(r.user + r.system for r in runs)
            print(f"  {size:>7}  {med('wall'):>7.1f}s  {cpu:>8.1f}s  {med('user'):>6.1f}s  {med('system'):>6.1f}s  "
                  f"{med('peak_tree_mb'):>7.0f} MB  {med('max_rss_mb'):>6.0f} MB", flush=True)
    finally:
        if cluster is not None:
            cluster.stop()
    print(f"load average {os.getloadavg()[0]:.1f} at the end (wall times on a busy machine are not comparable; "
          "user+sys are)")


if __name__ == "__main__":
    main()
