"""Write the hashes of every 8-word run in the source texts, for the copying check in lint.

Usage: python scripts/seed_ngrams.py ../shared/seeds/*.txt

Only hashes are stored, so the repository holds no copy of the sources, and lint
can still tell when a text repeats 8 words of them in a row.
"""

from __future__ import annotations

import sys
from pathlib import Path

from learning.content.lint import SEED_NGRAMS_FILE, SEED_RUN, ngram_keys


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    keys: set[str] = set()
    for path in paths:
        keys |= ngram_keys(Path(path).read_text(encoding="utf-8"))
    header = f"# sha256[:16] of every {SEED_RUN}-word run (lower case) in the MITT LIV seed texts\n"
    SEED_NGRAMS_FILE.write_text(header + "\n".join(sorted(keys)) + "\n", encoding="utf-8")
    print(f"{len(keys)} runs from {len(paths)} files -> {SEED_NGRAMS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
