"""axe-core on every page, tab and view of every role, on a desktop and a phone: no moderate, serious or
critical violation. Plus the keyboard and language walks.

One app server on demo data (``demo_site``), one browser, one sign-in per role. Pages are found
from each role's sidebar menu, so a new page is checked without changing this test. Every page, tab
and view is checked at 1280x900 and, resized in place, at 390x844. A page that every role shares
(Moduler, Min læring, Profil, ...) is checked once, for the first role that has it; the front page for
the roles with the fewest and the most menu sections; pages whose content depends on the role
(``ROLE_SPECIFIC``) again. With ``LEARNING_A11Y_REPORT=path`` the results are written there as JSON,
from which ``scripts/accessibility-statement.py`` writes the accessibility statement.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from datetime import date

import pytest

from learning.i18n import catalog, t, using_language

from .a11y import DESKTOP, PHONE, axe, failing, focused, menu_links, settle, sign_in, summarise
from .demo_site import LANGUAGE_USERS, USERS, build
from .server import ROOT, running
from .test_browser import ARGS, CHROMIUM  # skips this module too when chromium is missing

pytestmark = [pytest.mark.browser, pytest.mark.tinydb_only]

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

ROLES = list(USERS)  # learner first: the shared pages are checked with the plainest menu
STATEMENT_PATH = "/tilgjengelighet"
ROLE_SPECIFIC = {"coordinator": {"/nettverk"}}  # the coordinator's network view adds quiz insight
FRONT_PAGE_FOR = {"learner", "admin"}  # the fewest and the most menu sections
TABS = "[data-testid='stMain'] [role='tab']"
# A view switch: radio options that show one part of a page at a time (the leader page: not tabs,
# because Streamlit runs every tab's code on every run).
VIEWS = "[data-testid='stMain'] .st-key-manager_view [role='radiogroup'] label"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    demo = build(tmp_path_factory.mktemp("a11y-data"))
    with running(demo.data, ROOT) as url:
        yield url, demo


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Checker:
    """Runs axe at both sizes on every page, tab and view, and keeps every finding for the report."""

    def __init__(self) -> None:
        self.results: list[dict] = []
        self.axe_version = ""

    def page(self, page, role: str, name: str) -> None:
        """The page and each of its tabs (or views) on a desktop and on a phone.

        The phone check resizes the page that is open (Streamlit lays it out again; the phone/desktop
        switches are CSS) instead of a second visit: no navigation, no sign-in. The sizes take turns
        (desktop, phone; next tab at phone size, then desktop; ...): one resize and one click per tab.
        """
        path = page.evaluate("location.pathname")
        tabs = page.locator(TABS)
        views = page.locator(VIEWS)
        switch = tabs if tabs.count() > 1 else views
        count = switch.count()
        labels = [switch.nth(i).inner_text().strip() for i in range(count)] if count > 1 else [""]
        viewport = DESKTOP
        for i, label in enumerate(labels):
            if i:
                select(page, switch.nth(i), runs=switch is views)
            for turn in range(2):
                if turn:
                    viewport = PHONE if viewport is DESKTOP else DESKTOP
                    page.set_viewport_size(viewport)
                    settle(page, 250)
                self._record(page, role, name, path, "phone" if viewport is PHONE else "desktop",
                             label if i else "")
        if viewport is PHONE:
            page.set_viewport_size(DESKTOP)
            settle(page, 100)

    def _record(self, page, role: str, name: str, path: str, size: str, tab: str) -> None:
        self.results.append({"role": role, "page": name, "path": path, "size": size, "tab": tab,
                             "lang": page.evaluate("document.documentElement.lang"),
                             "violations": summarise(axe(page))})
        self.axe_version = page.evaluate("axe.version")


def select(page, control, *, runs: bool) -> None:
    """Open a tab (drawn already) or a view (the app runs again)."""
    control.click()
    if not runs:
        page.wait_for_timeout(200)
        return
    with contextlib.suppress(PlaywrightError):
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='running']", timeout=2000)
    settle(page, 300)


def open_link(page, label: str) -> None:
    page.locator("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']").filter(has_text=label).first.click()
    settle(page, 600)


def test_no_moderate_or_worse_violation_on_any_page(site, browser):
    url, demo = site
    checker = Checker()
    started = time.monotonic()
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(url)
    page.get_by_role("textbox", name="Brukernavn").wait_for(timeout=30000)
    settle(page)
    checker.page(page, "", "Logg inn")  # at "/": the sign-in page answers every address
    page.get_by_role("link", name="Tilgjengelighetserklæring").click()
    settle(page)
    checker.page(page, "", "Tilgjengelighetserklæring")
    context.close()

    seen: set[str] = set()
    for role in ROLES:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(url)
        page.get_by_role("textbox", name="Brukernavn").wait_for(timeout=30000)
        sign_in(page, *demo.login(role))
        for label, path in menu_links(page):
            again = path in ROLE_SPECIFIC.get(role, set()) or (path == "/" and role in FRONT_PAGE_FOR)
            if path in seen and not again:
                continue
            if path != "/":
                open_link(page, label)
            checker.page(page, role, label)
            seen.add(path)
        if role == "learner":  # the module page is not in the menu: open the first module
            open_link(page, "Moduler")
            page.locator("[data-testid='stMain'] button").filter(has_text="modulen").first.click()
            settle(page, 600)
            checker.page(page, role, "Modul (leksjon)")
        context.close()
    elapsed = time.monotonic() - started

    report = os.environ.get("LEARNING_A11Y_REPORT")
    if report:
        summary = {"date": date.today().isoformat(), "axe": checker.axe_version, "seconds": round(elapsed, 1), "sizes": [DESKTOP, PHONE],
                   "roles": ROLES, "checks": checker.results}
        with open(report, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, ensure_ascii=False, indent=1)
    assert {r["lang"] for r in checker.results} == {"nb"}
    pages = {(r["role"], r["path"]) for r in checker.results}
    assert len(pages) >= 15, pages
    problems = [(r["role"], r["page"], r["size"], r["tab"], v["rule"], v["impact"], v["example"])
                for r in checker.results for v in failing(r["violations"])]
    assert problems == []


def tab_to(page, pattern: str, limit: int = 120) -> dict:
    """Press Tab until the focused control's text matches ``pattern``; what has focus then."""
    wanted = re.compile(pattern)
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted.search(now["text"]):
            return now
    raise AssertionError(f"no control matching {pattern!r} reached by Tab")


def after_action(page) -> dict:
    """What has focus once the app has finished the runs a key press started (a press may run it twice).

    The page's script moves focus shortly after the last run ends; this waits up to 8 s for a heading
    to have it, then reports whatever has focus.
    """
    page.wait_for_timeout(300)
    with contextlib.suppress(PlaywrightError):
        page.wait_for_function("document.activeElement && document.activeElement.matches('h1, h2, h3')"
                               " && document.querySelector('[data-testid=stApp]')"
                               ".getAttribute('data-test-script-state') === 'notRunning'", timeout=8000)
    settle(page, 200)
    return focused(page)


def test_a_whole_module_by_keyboard_alone_with_focus_on_each_new_heading(site, browser):
    url, demo = site
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(url)
    page.get_by_role("textbox", name="Brukernavn").wait_for(timeout=30000)
    settle(page)
    page.get_by_role("textbox", name="Brukernavn").focus()
    page.keyboard.type("tastatur")
    page.keyboard.press("Tab")
    page.keyboard.type(demo.passwords["tastatur"])
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Kompetansemoduler").wait_for(timeout=30000)
    now = after_action(page)
    assert (now["tag"], now["text"]) == ("H1", "Kompetansemoduler")

    tab_to(page, r"^Start modulen$")
    page.keyboard.press("Enter")
    now = after_action(page)
    assert now["tag"] == "H1" and now["visible"], now  # the module's title
    steps = [now["text"]]
    while True:  # every lesson: «Neste leksjon» until «Til scenarioet»
        control = tab_to(page, r"^(Neste leksjon|Til scenarioet)$")
        page.keyboard.press("Enter")
        now = after_action(page)
        assert now["tag"] in ("H2", "H3") and now["visible"], (control, now)
        assert now["text"] not in steps, now  # the new lesson's heading, not the one before
        steps.append(now["text"])
        if control["text"] == "Til scenarioet":
            assert now["text"].startswith("Scenario:"), now
            break
    tab_to(page, r"^Start scenarioet$")
    page.keyboard.press("Enter")
    now = after_action(page)
    assert now == {"tag": "H3", "text": "Steg 1", "visible": True}
    for _ in range(20):  # each step: choose with the arrow keys, «Velg», then the feedback, «Videre»
        for _ in range(30):  # Tab into the radio group, then an arrow key chooses
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.type === 'radio'"):
                break
        page.keyboard.press("ArrowDown")
        ring = page.evaluate("""() => { const l = document.activeElement.closest('label');
            const s = l && getComputedStyle(l); return s ? [s.outlineStyle, s.outlineWidth] : null; }""")
        assert ring == ["solid", "3px"], ring  # the chosen option shows a clear focus ring
        tab_to(page, r"^Velg$")
        page.keyboard.press("Enter")
        now = after_action(page)
        assert now["tag"] == "H3" and now["text"].endswith(": tilbakemelding") and now["visible"], now
        control = tab_to(page, r"^(Videre|Se resultatet)$")
        page.keyboard.press("Enter")
        now = after_action(page)
        assert now["tag"] == "H3" and now["visible"], now
        if control["text"] == "Se resultatet":
            assert now["text"] == "Resultat"
            break
        assert now["text"].startswith("Steg "), now
    else:
        raise AssertionError("the scenario did not end")
    results = summarise(axe(page))
    assert failing(results) == []
    page.context.close()


# page path -> catalog key of its h1: the sample of text checked in each language
TITLES = {"/": "catalog.title", "/min-laering": "mine.title", "/profil": "profile.title",
          "/personvern": "personvern.title", STATEMENT_PATH: "statement.title"}


def open_path(page, path: str) -> None:
    """Follow the sidebar menu's link to ``path``."""
    found = page.evaluate("""path => { const links = [...document.querySelectorAll("[data-testid='stSidebar'] a[href]")];
        const link = links.find(a => new URL(a.href).pathname === path);
        if (link) { link.click(); return ''; } return links.map(a => a.href).join(' '); }""", path)
    assert found == "", f"no link to {path} in the menu: {found}"


def expect_language(page, url: str, language: str) -> list[tuple[str, str, str]]:
    """Open each learner page from the menu; (path, lang, h1) where lang or the h1 is not ``language``'s."""
    wrong = []
    with using_language(language):
        expected = {path: t(key) for path, key in TITLES.items()}
        menu = {t(f"nav.{name}") for name in ("catalog", "my_learning", "profile", "privacy_notice", "accessibility")}
    labels = {label for label, _ in menu_links(page)}
    if not menu <= labels:
        wrong.append(("menu", language, ", ".join(sorted(menu - labels))))
    for path, title in expected.items():
        open_path(page, path)
        page.get_by_role("heading", name=title, level=1).wait_for(timeout=30000)
        settle(page, 200)
        lang = page.evaluate("document.documentElement.lang")
        h1 = page.locator("[data-testid='stMain'] h1").first.inner_text().strip()
        if lang != language or h1 != title:
            wrong.append((path, lang, h1))
    return wrong


def test_nynorsk_and_english_change_the_page_language_and_text(site, browser):
    url, demo = site
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(url)
    page.get_by_role("textbox", name="Brukernavn").wait_for(timeout=30000)
    settle(page)
    assert page.evaluate("document.documentElement.lang") == "nb"
    page.get_by_text("Nynorsk", exact=True).click()  # the switch on the sign-in page
    with using_language("nn"):
        title, username, password, submit = (t("signin.title"), t("signin.username"), t("signin.password"),
                                             t("signin.submit"))
        save, choose = t("profile.save"), t("a11y.choose_option")
    page.get_by_role("heading", name=title, level=1).wait_for(timeout=30000)
    settle(page)
    assert page.evaluate("document.documentElement.lang") == "nn"
    page.get_by_role("textbox", name=username).fill("spraak")
    page.get_by_role("textbox", name=password).fill(demo.passwords["spraak"])
    page.get_by_role("button", name=submit).click()
    page.wait_for_selector("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']", timeout=30000)
    settle(page)
    assert expect_language(page, url, "nn") == []
    english = page.get_by_text("Choose an option")
    assert english.count() == 0 and choose  # Streamlit's own placeholder never shows in English

    open_path(page, "/profil")
    settle(page)
    page.locator("[data-testid='stForm'] label").filter(has_text="English").click()
    page.get_by_role("button", name=save).click()
    with using_language("en"):
        page.get_by_role("heading", name=t("profile.title"), level=1).wait_for(timeout=30000)
        page.get_by_text(t("profile.saved")).wait_for(timeout=30000)
    settle(page)
    assert expect_language(page, url, "en") == []
    page.context.close()


def test_every_leader_page_in_the_leaders_own_language(site, browser):
    """A manager who chose nynorsk and an admin who chose English: every page of their menus (the
    admin's holds every page but the learner's, already checked above) has the page language, menu
    labels and a first heading from that language's catalog, and no English from Streamlit itself.
    """
    url, demo = site
    wrong: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for username, (_, language) in LANGUAGE_USERS.items():
        words = set(catalog(language).values())
        templates = [re.compile(".+".join(map(re.escape, re.split(r"\{\w+\}", w))))
                     for w in words if re.search(r"\{\w+\}", w)]
        page = browser.new_context(viewport=DESKTOP).new_page()
        page.goto(url)
        sign_in(page, username, demo.passwords[username])
        links = menu_links(page)
        wrong += [("menu", language, label) for label, _ in links if label not in words]
        for _, path in links:
            seen.add(path)
            open_path(page, path)
            page.wait_for_selector("[data-testid='stMain'] h1", timeout=30000)
            settle(page, 200)
            lang = page.evaluate("document.documentElement.lang")
            h1 = page.locator("[data-testid='stMain'] h1").first.inner_text().strip()
            from_catalog = h1 in words or any(p.fullmatch(h1) for p in templates)  # «Samandrag: {name}»
            if lang != language or not from_catalog or page.get_by_text("Choose an option").count():
                wrong.append((path, lang, h1))
        page.context.close()
    assert len(seen) >= 12, sorted(seen)  # the menus really were walked
    assert wrong == [], wrong
