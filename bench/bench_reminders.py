"""Benchmark: one ``send-reminders`` run (planning and delivery) on the embedded store.

N staff in one municipality, all with an e-mail address, two mandatory modules (one due
within the reminder window), progress from ``bench_reports.build``. Delivery goes to a
port where nothing listens, so every message takes the retry path: it measures the
outbox's reads and writes, not a mail server. First run (every message new) and a
second run (nothing new, nothing due) are timed apart. Prints medians.

Run: python bench/bench_reminders.py [--sizes 2000,10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reports import NOW, build  # noqa: E402

from learning.config import content_root  # noqa: E402
from learning.content.catalog import load_catalog  # noqa: E402
from learning.records import Assignment  # noqa: E402
from learning.services.mail import SmtpSettings  # noqa: E402
from learning.services.reminders import ReminderService  # noqa: E402


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def one(staff: int, catalog) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory() as folder:
        repo = build(Path(folder), staff, catalog)
        repo.add_users([])
        modules = list(catalog.modules)[:2]
        for n, module_id in enumerate(modules):
            repo.add_assignment(Assignment(id=f"a{n}", municipality="0301", module_id=module_id,
                                           deadline=(NOW + timedelta(days=3 + 20 * n)).date(), created_by="x",
                                           created_at=NOW))
        users = repo.list_users()
        for user in users:  # every person has an address
            repo.update_user(user.id, lambda u: u.model_copy(update={"email": f"{u.username}@example.invalid"}))
        settings = SmtpSettings("127.0.0.1", closed_port(), "none", "noreply@example.invalid", timeout=1)
        service = ReminderService(repo, catalog, clock=lambda: NOW, secret=b"x" * 32, public_url="https://x")
        start = time.perf_counter()
        added, _ = service.run(settings)
        first = time.perf_counter() - start
        start = time.perf_counter()
        service.run(settings)
        second = time.perf_counter() - start
        return first, second, added


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    catalog = load_catalog(content_root())
    print(f"{'staff':>7} {'messages':>9} {'first run (s)':>14} {'second run (s)':>15}")
    for size in (int(s) for s in args.sizes.split(",")):
        results = [one(size, catalog) for _ in range(args.runs)]
        print(f"{size:>7} {results[0][2]:>9} {statistics.median(r[0] for r in results):>14.2f} "
              f"{statistics.median(r[1] for r in results):>15.2f}")


if __name__ == "__main__":
    main()
