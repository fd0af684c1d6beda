"""Download the scorm-again SCORM runtime from the npm registry into .cache/scorm-again (for the browser test).

Only the published tarball is fetched (no Node or npm needed); its SHA-512 is checked
against the registry's integrity field. Run by scripts/setup-tests.sh; does nothing when present.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
from pathlib import Path

VERSION = "3.4.3"
TARGET = Path(__file__).resolve().parent.parent / ".cache" / "scorm-again"
REGISTRY = "https://registry.npmjs.org/scorm-again"


def main() -> int:
    marker = TARGET / "VERSION"
    if marker.exists() and marker.read_text().strip() == VERSION:
        return 0
    with urllib.request.urlopen(f"{REGISTRY}/{VERSION}", timeout=60) as response:
        meta = json.load(response)
    with urllib.request.urlopen(meta["dist"]["tarball"], timeout=120) as response:
        payload = response.read()
    algorithm, _, expected = meta["dist"]["integrity"].partition("-")
    if algorithm != "sha512" or base64.b64decode(expected) != hashlib.sha512(payload).digest():
        print("scorm-again: the tarball does not match the registry's integrity value", file=sys.stderr)
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(payload), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if member.isfile() and name.startswith("dist/") and ".." not in name:
                out = TARGET / name
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(archive.extractfile(member).read())
    marker.write_text(VERSION + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
