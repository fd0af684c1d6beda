"""Write the accessibility statement from a fresh run of the axe-core browser test.

    .venv/bin/python scripts/accessibility-statement.py            # runs the test, then writes
    .venv/bin/python scripts/accessibility-statement.py --from report.json

Writes learning/data/accessibility.json (what the app's statement page shows, in the reader's
language) and docs/ACCESSIBILITY.md (the same statement in bokmål, for uustatus.no).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from learning.accessibility import RESULTS, statement, summarise  # noqa: E402
from learning.i18n import t, using_language  # noqa: E402

DOC = ROOT / "docs" / "ACCESSIBILITY.md"
HEADER = """<!-- Written by scripts/accessibility-statement.py from the axe-core browser test
     (tests/browser/test_accessibility.py); edit learning/locales/*/statement.toml, not this file. -->

"""


def run_test(report: Path) -> None:
    env = {**os.environ, "LEARNING_A11Y_REPORT": str(report)}
    test = "tests/browser/test_accessibility.py::test_no_moderate_or_worse_violation_on_any_page"
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", test], cwd=ROOT, env=env)
    if not report.exists():
        sys.exit(f"the test wrote no report (exit {done.returncode})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path, help="a report the test wrote (LEARNING_A11Y_REPORT)")
    args = parser.parse_args()
    source = args.source
    if source is None:
        source = Path(tempfile.mkdtemp()) / "a11y-report.json"
        run_test(source)
    results = summarise(json.loads(source.read_text(encoding="utf-8")))
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    with using_language("nb"):
        DOC.write_text(HEADER + f"# {t('statement.title')}\n\n" + statement(results), encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)} and {DOC.relative_to(ROOT)}: {results['checks']} checks, "
          f"{results['serious']} serious or critical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
