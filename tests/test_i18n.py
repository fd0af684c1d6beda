"""Every UI string goes through the catalog: every key the code uses exists, in every language."""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from learning.i18n import LOCALES, Language, catalog, t, using_language

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


# --- every language has every key, with the same placeholders and Markdown ---------------
LANGUAGES = [language.value for language in Language]
TRANSLATED = [language for language in LANGUAGES if language != "nb"]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name is not None}


def markdown_marks(text: str) -> tuple[int, ...]:
    """What must survive translation: bold, code, hard line breaks, headings and list items."""
    lines = text.splitlines()
    return (text.count("**"), text.count("`"), text.count("  \n"),
            sum(line.startswith("#") for line in lines), sum(line.lstrip().startswith("- ") for line in lines))


def test_every_language_has_one_file_per_bokmal_file():
    nb_files = sorted(path.name for path in (LOCALES / "nb").glob("*.toml"))
    for language in TRANSLATED:
        assert sorted(path.name for path in (LOCALES / language).glob("*.toml")) == nb_files, language


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_key_missing_or_extra(language):
    nb, other = catalog("nb"), catalog(language)
    assert sorted(nb.keys() - other.keys()) == [], f"missing in {language}"
    assert sorted(other.keys() - nb.keys()) == [], f"extra in {language}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_same_placeholders_and_markdown(language):
    nb, other = catalog("nb"), catalog(language)
    wrong = [key for key in nb.keys() & other.keys() if placeholders(nb[key]) != placeholders(other[key])]
    assert wrong == []
    marks = [key for key in nb.keys() & other.keys() if markdown_marks(nb[key]) != markdown_marks(other[key])]
    assert marks == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_are_translated(language):
    """Most strings differ from bokmål (a copied file would pass the key checks)."""
    nb, other = catalog("nb"), catalog(language)
    same = [key for key in nb if nb[key] == other.get(key)]
    assert len(same) < len(nb) / 2


def test_t_uses_the_current_language():
    with using_language("nn"):
        assert t("catalog.meta", areas="Skule", minutes=20) == "For: Skule · ca. 20 min"
        assert t("quiz.what_do_you_do") == "Kva gjer du?"
    with using_language("en"):
        assert t("quiz.what_do_you_do") == "What do you do?"
    assert t("quiz.what_do_you_do") == "Hva gjør du?"
