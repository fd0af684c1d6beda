"""The accessibility statement (tilgjengelighetserklæring), written from the real axe-core test results.

``tests/browser/test_accessibility.py`` writes every check it made as JSON (``LEARNING_A11Y_REPORT``);
``summarise`` boils that down to ``data/accessibility.json`` (committed), and ``statement`` writes the
statement from it in the reader's language, in the order uustatus.no uses: how far the service meets
the requirements, what the breaches mean and for whom, how to report a breach, how to complain, and
the content that is not universally designed, per WCAG principle. ``docs/ACCESSIBILITY.md`` is the
same text in bokmål (``scripts/accessibility-statement.py`` writes both).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from pathlib import Path

from learning.formatting import fmt_date
from learning.i18n import DEFAULT_LANGUAGE, catalog, t

RESULTS = Path(__file__).parent / "data" / "accessibility.json"

# Known limits no automatic rule finds; each is (WCAG criterion, catalog key under statement.known.).
KNOWN = [("1.3.1", "tables"), ("3.1.2", "fallback_content")]
# axe-core's WCAG tag -> criterion ("wcag143" -> "1.4.3"); rules without one are best practice.
PRINCIPLES = {"1": "perceivable", "2": "operable", "3": "understandable", "4": "robust"}
BEST_PRACTICE = {"heading-order": "1.3.1", "region": "1.3.1", "landmark-one-main": "1.3.1",
                 "page-has-heading-one": "1.3.1", "presentation-role-conflict": "4.1.2"}


def criterion(tags: list[str], rule: str) -> str:
    for tag in tags:
        digits = tag[4:]
        if tag.startswith("wcag") and digits.isdigit() and len(digits) >= 3:
            return f"{digits[0]}.{digits[1]}.{digits[2:]}"
    return BEST_PRACTICE.get(rule, "")


def summarise(report: dict) -> dict:
    """The test's raw report -> what the statement needs: what was tested, and each rule that failed where."""
    checks = report["checks"]
    pages = sorted({(c["role"], c["page"], c["tab"]) for c in checks})
    found: dict[str, dict] = {}
    for check in checks:
        for v in check["violations"]:
            entry = found.setdefault(v["rule"], {"rule": v["rule"], "impact": v["impact"], "help": v["help"],
                                                 "criterion": criterion(v["wcag"], v["rule"]), "pages": set()})
            entry["pages"].add(check["page"] + (f" ({check['tab']})" if check["tab"] else ""))
    for entry in found.values():
        entry["pages"] = sorted(entry["pages"])
    return {"date": report["date"], "axe": report.get("axe", ""), "seconds": report.get("seconds"),
            "checks": len(checks), "pages": [list(p) for p in pages],
            "sizes": [f"{s['width']}x{s['height']}" for s in report["sizes"]],
            "roles": report["roles"],
            "serious": sum(1 for e in found.values() if e["impact"] in ("serious", "critical")),
            "violations": sorted(found.values(), key=lambda e: (e["criterion"], e["rule"]))}


def load(path: Path = RESULTS) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def explain(entry: dict) -> str:
    """The rule in the reader's language when the catalog has it; else axe-core's own (English) help."""
    key = f"statement.rule.{entry['rule']}"
    return t(key) if key in catalog(DEFAULT_LANGUAGE) else entry["help"]


def statement(results: dict | None) -> str:
    """The statement as Markdown in the run's language (``t()``)."""
    if results is None:
        return t("statement.no_results")
    findings: dict[str, list[str]] = defaultdict(list)
    for entry in results["violations"]:
        line = t("statement.found", criterion=entry["criterion"] or "–", rule=entry["rule"], help=explain(entry),
                 impact=t(f"statement.impact_{entry['impact']}"), pages=", ".join(entry["pages"]))
        findings[PRINCIPLES.get(entry["criterion"][:1], "robust")].append(line)
    for wcag, key in KNOWN:
        findings[PRINCIPLES[wcag[0]]].append(t("statement.known_line", criterion=wcag,
                                               text=t(f"statement.known.{key}")))
    breached = {e["criterion"] for e in results["violations"] if e["criterion"]} | {c for c, _ in KNOWN}
    roles = ", ".join(t(f"role.{role}") for role in results["roles"])
    parts = [
        t("statement.intro"),
        f"## {t('statement.conformance_title')}",
        t("statement.conformance", breached=len(breached)),
        t("statement.tested", date=fmt_date(date.fromisoformat(results["date"])), checks=results["checks"],
          pages=len(results["pages"]), roles=roles, sizes=f" {t('statement.and')} ".join(results["sizes"]),
          axe=results["axe"], serious=results["serious"]),
        t("statement.method"),
        f"## {t('statement.users_title')}",
        t("statement.users"),
        f"## {t('statement.feedback_title')}",
        t("statement.feedback"),
        f"## {t('statement.complaint_title')}",
        t("statement.complaint"),
        f"## {t('statement.status_title')}",
        t("statement.status_intro"),
    ]
    for principle in ("perceivable", "operable", "understandable", "robust"):
        if findings[principle]:
            parts.append(f"### {t(f'statement.principle_{principle}')}")
            parts.append("\n".join(findings[principle]))
    return "\n\n".join(parts) + "\n"
