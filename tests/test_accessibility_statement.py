"""The accessibility statement is written from the test results, in every language, and shown without signing in."""

from __future__ import annotations

import pytest

from learning.accessibility import RESULTS, criterion, load, statement, summarise
from learning.i18n import using_language

from .apptest_helpers import create_first_admin, goto, menu, new_app, restart_app, values

pytestmark = pytest.mark.tinydb_only

REPORT = {"date": "2026-12-04", "axe": "4.12.1", "seconds": 50.0, "roles": ["learner", "admin"],
          "sizes": [{"width": 1280, "height": 900}, {"width": 390, "height": 844}],
          "checks": [
              {"role": "learner", "page": "Moduler", "path": "/", "size": "desktop", "tab": "", "lang": "nb",
               "violations": []},
              {"role": "admin", "page": "Oversikt", "path": "/leder", "size": "phone", "tab": "Ansatte", "lang": "nb",
               "violations": [{"rule": "color-contrast", "impact": "serious", "help": "Elements must meet contrast",
                               "wcag": ["wcag2aa", "wcag143"], "count": 2, "example": "<p>"}]}]}


def test_axe_tags_name_the_wcag_criterion():
    assert criterion(["wcag2aa", "wcag143"], "color-contrast") == "1.4.3"
    assert criterion(["wcag2a", "wcag412"], "x") == "4.1.2"
    assert criterion(["best-practice"], "heading-order") == "1.3.1"


def test_the_statement_counts_the_checks_and_lists_each_finding_under_its_principle():
    results = summarise(REPORT)
    assert (results["checks"], results["serious"], len(results["pages"])) == (2, 1, 2)
    text = statement(results)
    assert "04.12.2026" in text and "**1** alvorlige" in text
    principle_1 = text.split("### Prinsipp 1")[1].split("###")[0]
    assert "**1.4.3** – For lav kontrast" in principle_1 and "Oversikt (Ansatte)" in principle_1


@pytest.mark.parametrize("language, heading", [("nb", "Klage"), ("nn", "Klage"), ("en", "Complaints")])
def test_the_committed_statement_reads_in_every_language(language, heading):
    results = load()
    assert results is not None, f"{RESULTS} is missing: run scripts/accessibility-statement.py"
    assert results["serious"] == 0
    with using_language(language):
        text = statement(results)
    assert f"## {heading}" in text and "{" not in text


def test_the_statement_page_opens_without_signing_in(data_dir, fixture_content):
    create_first_admin(new_app())
    at = restart_app()  # a new session: signed out
    assert "tilgjengelighet" in menu(at)
    goto(at, "tilgjengelighet")
    assert values(at.title) == ["Tilgjengelighetserklæring"]
    assert "Klage" in at.markdown[-1].value
