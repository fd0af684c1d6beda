"""Screenshots of every page and tab of every role at phone size (390x844), to look at by eye.

    .venv/bin/python scripts/phone-screenshots.py [OUT]        # default /tmp/phone-shots

Builds the browser tests' demo installation in a temporary folder, starts the app, and for each
role signs in on a phone-sized window and opens every page of its menu the way a phone user does
(the menu button, then the link). For each page (and each tab) it writes two PNGs: ``*-fold.png``,
what the screen shows before any scrolling, and ``*-full.png``, the whole page. The learner also
walks one module into its scenario (lesson, step 1, feedback). A line per shot says what is below
the fold and whether anything is wider than the screen (text cut off or pushed sideways).
Nothing here is a test: ``tests/browser/test_accessibility.py`` runs axe-core at this size.
"""

from __future__ import annotations

import contextlib
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.a11y import PHONE, menu_links, settle  # noqa: E402
from tests.browser.demo_site import USERS, build  # noqa: E402
from tests.browser.server import running  # noqa: E402
from tests.browser.test_accessibility import ROLE_SPECIFIC, TABS, VIEWS  # noqa: E402
from tests.browser.test_browser import ARGS, CHROMIUM  # noqa: E402

# The main content's scroll height, and the controls and text that reach past the screen's right edge.
MEASURE = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const scroller = [main, document.querySelector('[data-testid="stAppViewContainer"]'), document.scrollingElement]
    .filter(Boolean).sort((a, b) => b.scrollHeight - a.scrollHeight)[0];
  const wide = [];
  for (const el of main.querySelectorAll('button, a, input, label, p, h1, h2, h3, li, td, th, span')) {
    const r = el.getBoundingClientRect();
    const scrolls = el.closest('[data-testid="stTable"], [data-testid="stDataFrame"], [role="tablist"], pre');
    if (r.width && r.right > window.innerWidth + 1 && !scrolls)
      wide.push(el.tagName + ':' + (el.textContent || '').trim().slice(0, 40));
  }
  return {height: scroller.scrollHeight, wide: [...new Set(wide)].slice(0, 5)};
}"""


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")).strip("-")


class Camera:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.count = 0

    def shoot(self, page, name: str) -> None:
        """The screen as it is (the fold), then the whole page in one tall window."""
        self.count += 1
        stem = f"{self.count:02d}-{slug(name)}"
        page.screenshot(path=self.out / f"{stem}-fold.png")
        found = page.evaluate(MEASURE)
        height = min(max(found["height"], PHONE["height"]), 12000)
        page.set_viewport_size({"width": PHONE["width"], "height": height})
        page.wait_for_timeout(300)
        page.screenshot(path=self.out / f"{stem}-full.png")
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(200)
        print(f"{stem}: {found['height']} px tall; wider than the screen: {found['wide'] or 'nothing'}")

    def page_and_tabs(self, page, name: str) -> None:
        """The page, then each of its tabs, or each view of the leader page's view switch."""
        self.shoot(page, name)
        tabs = page.locator(TABS)
        views = page.locator(VIEWS)
        switch = tabs if tabs.count() > 1 else views
        for i in range(1, switch.count()):
            control = switch.nth(i)
            label = control.inner_text().strip()
            if switch is views:
                press(page, control)
            else:
                control.click()
                page.wait_for_timeout(400)
            self.shoot(page, f"{name} {label}")


def open_menu(page) -> None:
    """The menu button in the top bar opens the sidebar (over the page, on a phone)."""
    expand = page.locator("[data-testid='stExpandSidebarButton']")
    if expand.count() and expand.first.is_visible():
        expand.first.click()
        page.wait_for_timeout(500)


def open_menu_link(page, label: str) -> None:
    """As on a phone: the menu button, then the link (the page's script closes the menu again)."""
    open_menu(page)
    links = page.locator("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']")
    press(page, links.filter(has_text=label).first)


def sign_in(page, username: str, password: str) -> None:
    page.get_by_role("textbox", name="Brukernavn").fill(username)
    page.get_by_role("textbox", name="Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_selector("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']", state="attached",
                           timeout=30000)
    settle(page)


def press(page, control) -> None:
    """Click, wait for the app's run to start (a short run may be missed), then for it to end."""
    control.click()
    with contextlib.suppress(PlaywrightError):
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='running']", timeout=2000)
    with contextlib.suppress(PlaywrightError):  # the page's script moves focus to the new heading
        page.wait_for_function("document.activeElement && document.activeElement.matches('h1, h2, h3')"
                               " && document.querySelector('[data-testid=stApp]')"
                               ".getAttribute('data-test-script-state') === 'notRunning'", timeout=8000)
    settle(page, 500)


def learner_walk(page, camera: Camera) -> None:
    """One module from the catalog: its first lesson, the scenario's first step and its feedback."""
    press(page, page.locator("[data-testid='stMain'] button").filter(has_text="modulen").first)
    camera.shoot(page, "learner modul leksjon")
    for _ in range(12):
        button = page.get_by_role("button", name=re.compile(r"(Neste leksjon|Til scenarioet)")).first
        last = "Til scenarioet" in button.inner_text()
        press(page, button)
        if last:
            break
    camera.shoot(page, "learner scenario start")
    press(page, page.get_by_role("button", name=re.compile("Start scenarioet")).first)
    camera.shoot(page, "learner scenario steg 1")
    press(page, page.locator("[data-testid='stMain'] [data-testid='stRadio'] [role='radiogroup'] label").first)
    press(page, page.get_by_role("button", name=re.compile(r"\bVelg\b")).first)
    camera.shoot(page, "learner scenario tilbakemelding")


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/phone-shots")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    camera = Camera(out)
    demo = build(Path(tempfile.mkdtemp(prefix="phone-shots-")))
    with running(demo.data, ROOT) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(viewport=PHONE).new_page()
        page.goto(url)
        page.get_by_role("textbox", name="Brukernavn").wait_for(timeout=30000)
        settle(page)
        camera.shoot(page, "logg inn")
        page.get_by_role("link", name="Tilgjengelighetserklæring").click()
        settle(page)
        camera.shoot(page, "tilgjengelighetserklaering")
        page.context.close()
        seen: set[str] = set()
        for role in USERS:
            page = browser.new_context(viewport=PHONE).new_page()
            page.goto(url)
            page.get_by_role("textbox", name="Brukernavn").wait_for(timeout=30000)
            sign_in(page, *demo.login(role))
            if role == "learner":
                open_menu(page)
                camera.shoot(page, "learner meny")
                page.locator("[data-testid='stSidebarCollapseButton'] button").click()
                page.wait_for_timeout(800)  # the menu slides away
            for label, path in menu_links(page):
                if path in seen and path not in ROLE_SPECIFIC.get(role, set()):
                    continue
                seen.add(path)
                if path != "/":
                    open_menu_link(page, label)
                camera.page_and_tabs(page, f"{role} {label}")
            if role == "learner":
                open_menu_link(page, "Moduler")
                learner_walk(page, camera)
            page.context.close()
        browser.close()
    print(f"{camera.count} pages in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
