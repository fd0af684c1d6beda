"""Whole pages in a real browser: Debian's chromium driven by Playwright.

Skipped when chromium is missing, except under CI=true, where a missing browser fails.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from learning.records import Role
from learning.services.accounts import AccountService
from learning.storage.tinydb_repo import TinyDBRepository

from ..conftest import FIXTURE_CONTENT
from .server import running

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
HOSTILE = """Vanlig tekst.

<script>window.__pwned = 'script'</script>

<img src="x" onerror="window.__pwned = 'onerror'">

::: råd
Barn har gitt råd om at voksne lytter.
:::
"""

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but chromium is missing: run scripts/setup-tests.sh")
    pytest.skip("chromium is not installed", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    content = tmp_path_factory.mktemp("content")
    shutil.copytree(FIXTURE_CONTENT, content, dirs_exist_ok=True)
    lesson = content / "modules" / "prove-modul" / "forste.md"
    lesson.write_text(HOSTILE, encoding="utf-8")
    data = tmp_path_factory.mktemp("data")
    repo = TinyDBRepository(data)
    accounts = AccountService(repo)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Admin", email="",
                                        municipality="0301")
    accounts.create_user(admin, username="kari", password="kari-passord", name="Kari", email="",
                         municipality="0301", role=Role.LEARNER)
    with running(data, content) as url:
        yield url


@pytest.fixture
def page(server):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.goto(server)
        page.wait_for_selector("[data-testid='stApp']")
        yield page
        browser.close()


def sign_in_with_keyboard(page) -> None:
    username = page.get_by_label("Brukernavn")
    expect(username).to_be_visible(timeout=20000)
    username.focus()
    page.keyboard.type("kari")
    page.keyboard.press("Tab")
    page.keyboard.type("kari-passord")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kompetansemoduler")).to_be_visible(timeout=20000)


def test_page_language_is_norwegian_and_sign_in_works_by_keyboard(page):
    sign_in_with_keyboard(page)
    assert page.evaluate("document.documentElement.lang") == "nb"


def test_authored_html_and_javascript_stay_inert(page, tmp_path):
    sign_in_with_keyboard(page)
    page.get_by_role("button", name="Start modulen").click()
    expect(page.get_by_role("heading", name="Første leksjon")).to_be_visible(timeout=20000)
    note = page.get_by_role("note", name="Råd fra barn")
    expect(note).to_be_visible()
    expect(page.get_by_text("<script>window.__pwned = 'script'</script>")).to_be_visible()
    page.wait_for_timeout(500)
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("img[src='x']").count() == 0
    page.screenshot(path=str(tmp_path / "lesson.png"), full_page=True)


def test_a_learner_walk_sends_no_request_to_another_site(page, server):
    """Nothing a learner opens asks a third party for anything (fonts, images, trackers)."""
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    sign_in_with_keyboard(page)
    page.get_by_role("button", name=re.compile("Start modulen|Fortsett der du slapp")).click()
    page.get_by_role("button", name="Neste leksjon").click()
    expect(page.get_by_role("heading", name="Andre leksjon")).to_be_visible(timeout=20000)
    page.wait_for_timeout(1000)
    assert requested, "the walk was recorded"
    elsewhere = [url for url in requested if not url.startswith((server, "data:", "blob:"))]
    assert elsewhere == []
