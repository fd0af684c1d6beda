"""Helpers for the accessibility browser tests: axe-core, signing in, waiting for Streamlit to settle."""

from __future__ import annotations

from pathlib import Path

import axe_playwright_python

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
FAILING = {"moderate", "serious", "critical"}  # minor findings are reported, not failed
WAIT = 30000


def settle(page, extra_ms: int = 300) -> None:
    """Wait until the app has finished its run (no stale elements left) and charts have drawn."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=WAIT)
    page.wait_for_function("!document.querySelector('[data-stale=\"true\"]')", timeout=WAIT)
    page.wait_for_timeout(extra_ms)


def axe(page) -> dict:
    """axe-core's WCAG 2.0/2.1 A and AA rules (plus best practices) on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    return page.evaluate("""() => axe.run(document, {resultTypes: ['violations'],
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})""")


def summarise(results: dict) -> list[dict]:
    """Violations as small records: rule, impact, WCAG tags, how many elements, one example."""
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "wcag": [tag for tag in v["tags"] if tag.startswith("wcag") and tag[4:].isdigit()],
             "count": len(v["nodes"]), "example": v["nodes"][0]["html"][:200]}
            for v in results["violations"]]


def failing(found: list[dict]) -> list[dict]:
    return [v for v in found if v["impact"] in FAILING]


def sign_in(page, username: str, password: str) -> None:
    page.get_by_role("textbox", name="Brukernavn").fill(username)
    page.get_by_role("textbox", name="Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_selector("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']", timeout=WAIT)
    settle(page)


def menu_links(page) -> list[tuple[str, str]]:
    """(label, path) of every page in the sidebar menu."""
    return page.evaluate("""() => [...document.querySelectorAll(
        "[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']")]
        .map(a => [(a.querySelector('[data-testid="stMarkdownContainer"]') || a).textContent.trim(),
                   new URL(a.href).pathname])""")


def focused(page) -> dict:
    """What has focus: tag, text, and whether it is in the visible part of the window."""
    return page.evaluate("""() => { const e = document.activeElement; const r = e.getBoundingClientRect();
        const copy = e.cloneNode(true);  // the text a reader hears: without Material icon names
        copy.querySelectorAll('[data-testid="stIconMaterial"], [aria-hidden="true"]').forEach(i => i.remove());
        return {tag: e.tagName, text: (copy.textContent || '').trim().slice(0, 120),
                visible: r.bottom > 0 && r.top < window.innerHeight}; }""")
