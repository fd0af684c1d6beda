"""Start the app as in production (``streamlit run app.py``) on a free local port, for browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(data: Path, content: Path, port: int, *extra: str, database_url: str | None = None,
                 wait: bool = True) -> subprocess.Popen:
    """The app on 127.0.0.1:port with this data folder (or database) and content, once its health check answers."""
    env = {**os.environ, "LEARNING_DATA_DIR": str(data), "LEARNING_CONTENT_DIR": str(content),
           "AUTHLIB_INSECURE_TRANSPORT": "1"}
    env.pop("LEARNING_SESSION_SECRET", None)  # the secret file in the data folder, as on a fresh install
    env.pop("LEARNING_DATABASE_URL", None)    # the data folder above, whatever the test run's backend
    if database_url:
        env["LEARNING_DATABASE_URL"] = database_url
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", *extra],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if wait:
        wait_until_up(process, port)
    return process


def wait_until_up(process: subprocess.Popen, port: int) -> None:
    """Return once the app on ``port`` answers its health check (killed after 30 s)."""
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return
        except OSError:
            time.sleep(0.25)
    process.kill()
    raise RuntimeError("streamlit did not start")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


@contextmanager
def running(data: Path, content: Path) -> Iterator[str]:
    """The app's URL while it runs; stopped afterwards."""
    port = free_port()
    process = start_server(data, content, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)
