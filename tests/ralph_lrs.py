"""A real Learning Record Store for the tests: Ralph (ralph-malph from PyPI) on a free local port.

scripts/setup-tests.sh installs Ralph in ``.venv-lrs`` (it pins its own FastAPI and pydantic).
Ralph serves the xAPI statements resource, validates every statement against its xAPI
models, and stores them with its file-system backend in a folder of the test's own, with
HTTP basic authentication from a JSON credentials file made by ``ralph auth``.

One setting differs from Ralph's defaults: its file-system backend writes with the
``create`` operation, which refuses a second write to the same file (ralph-malph 5.1.0:
"fs_lrs.jsonl already exists and overwrite is not allowed"), so only the first POST would
ever be stored. The launcher below makes that backend append instead; the API, the
validation and the storage are Ralph's own.
"""

from __future__ import annotations

import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.browser.server import free_port

ROOT = Path(__file__).resolve().parent.parent
RALPH_PYTHON = ROOT / ".venv-lrs" / "bin" / "python"
USERNAME = "learning-platform"
PASSWORD = "lrs-test-password"

LAUNCHER = """
import sys
import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def unavailable() -> str | None:
    if not RALPH_PYTHON.exists():
        return "Ralph (the LRS) is not installed: run scripts/setup-tests.sh"
    return None


@contextmanager
def running_lrs(folder: Path) -> Iterator[str]:
    """The LRS's xAPI endpoint (``http://127.0.0.1:PORT/xAPI/``) while it runs."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "RALPH_APP_DIR": str(folder / "app"), "RALPH_AUTH_FILE": str(folder / "auth.json"),
           "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder),
           "RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH": str(folder)}
    subprocess.run([str(RALPH_PYTHON), "-m", "ralph", "auth", "--username", USERNAME, "--password", PASSWORD,
                    "--scope", "all", "--agent-ifi-mbox", "mailto:lrs-client@example.org", "--write-to-disk"],
                   env=env, check=True, capture_output=True, cwd=folder)
    port = free_port()
    process = subprocess.Popen([str(RALPH_PYTHON), "-c", LAUNCHER, str(port)], env=env, cwd=folder,
                               stdout=subprocess.DEVNULL, stderr=open(folder / "lrs.log", "wb"))  # noqa: SIM115
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/__heartbeat__", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError((folder / "lrs.log").read_text()) from None
                time.sleep(0.25)
        else:
            raise RuntimeError("Ralph did not start")
        yield f"http://127.0.0.1:{port}/xAPI/"
    finally:
        process.terminate()
        process.wait(timeout=10)
