"""Every UI string goes through the catalog: every key the code uses exists."""

from __future__ import annotations

import re
from pathlib import Path

from learning.i18n import catalog, t

PACKAGE = Path(__file__).resolve().parent.parent / "learning"
APP = PACKAGE.parent / "streamlit_app.py"
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.-]+)["']""")
ERROR_KEY = re.compile(r"""UserError\(\s*["']([a-z_]+\.[a-z0-9_.-]+)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for path in [*PACKAGE.rglob("*.py"), APP]:
        text = path.read_text(encoding="utf-8")
        keys |= set(LITERAL_KEY.findall(text)) | set(ERROR_KEY.findall(text))
    return keys


def test_every_literal_key_exists_in_bokmal():
    missing = sorted(used_keys() - catalog("nb").keys())
    assert missing == []


def test_placeholders_fill_in():
    assert t("catalog.meta", areas="Skole", minutes=20) == "For: Skole · ca. 20 min"


def test_pages_have_no_hard_coded_norwegian_titles():
    """Pages pass catalog keys to st.title/header/button, never literal text."""
    literal = re.compile(r"""st\.(title|header|subheader|button|error|success|info|warning)\(\s*["']""")
    offenders = [str(p) for p in (PACKAGE / "ui").rglob("*.py") if literal.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
