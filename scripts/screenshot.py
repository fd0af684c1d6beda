"""Take screenshots of the running app with Debian's chromium (for looking, not testing).

Usage: python scripts/screenshot.py URL OUT.png [USERNAME PASSWORD] [--nav=MENU TEXT] [--click=BUTTON TEXT]
        [--width=1280]
A full page load starts a new Streamlit session (signed out), so pages are reached by clicking.
"""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    options = dict(a[2:].split("=", 1) for a in sys.argv[1:] if a.startswith("--") and "=" in a)
    width = int(options.get("width", "1280"))
    url, out = args[0], args[1]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(url)
        page.wait_for_selector("[data-testid='stApp']", timeout=20000)
        page.wait_for_timeout(1500)
        if len(args) >= 4:
            page.get_by_label("Brukernavn").fill(args[2])
            page.get_by_label("Passord").fill(args[3])
            page.get_by_role("button", name="Logg inn").click()
            page.wait_for_timeout(2500)
        if "nav" in options:
            page.get_by_test_id("stSidebarNav").get_by_text(options["nav"], exact=True).click()
            page.wait_for_timeout(3000)
        if "click" in options:
            page.get_by_role("button", name=options["click"]).first.click()
            page.wait_for_timeout(3000)
        page.screenshot(path=out, full_page=True)
        print("lang =", page.evaluate("document.documentElement.lang"))
        browser.close()


if __name__ == "__main__":
    main()
