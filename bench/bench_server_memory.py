"""Benchmark: the app server's memory after one manager dashboard and one network view.

Starts the app as in production (``streamlit run app.py``) on the database in
LEARNING_DATABASE_URL, signs in in headless Chromium as the given leader or admin,
opens the dashboard (its overview) and the network view, and prints the server
process's resident memory (now and at its peak). Load the staff first, for example
with bench_backends.py's data (``staff_data`` + ``load``) or copy-data.

Run: LEARNING_DATABASE_URL=postgresql://… python bench/bench_server_memory.py USERNAME PASSWORD
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser.server import free_port  # noqa: E402
from tests.browser.test_browser import ARGS, CHROMIUM  # noqa: E402


def memory(pid: int) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = value.strip()
    return fields


def main() -> None:
    username, password = sys.argv[1:3]
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
                               str(port), "--server.headless", "true", "--server.address", "127.0.0.1"],
                              cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        print("started:", memory(server.pid))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1300, "height": 1000})
            page.goto(f"{url}/leder")
            page.get_by_label("Brukernavn").fill(username)
            page.get_by_label("Passord").fill(password)
            page.keyboard.press("Enter")
            start = time.perf_counter()
            expect(page.get_by_text("Fullføring per modul og tjenesteområde")).to_be_visible(timeout=120_000)
            print(f"dashboard shown after {time.perf_counter() - start:.1f} s:", memory(server.pid))
            page.goto(f"{url}/nettverk")
            start = time.perf_counter()
            expect(page.locator("[data-testid=stTable], [data-testid=stDataFrame]").first).to_be_visible(
                timeout=120_000)  # the network table (st.table since its headers wrap)
            print(f"network view shown after {time.perf_counter() - start:.1f} s:", memory(server.pid))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
