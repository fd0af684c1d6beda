"""Unsafe links in authored text stay inert in a real browser (Debian's chromium via Playwright).

The same hostile content as ``tests/test_inert_links.py``: every authored field carries
``data:``, ``javascript:``, ``vbscript:`` and ``file:`` links; no page may show one as a link.
"""

from __future__ import annotations

import pytest

from learning.records import User
from learning.services.accounts import AccountService
from learning.storage.tinydb_repo import TinyDBRepository

from ..helpers import NOW
from ..test_inert_links import HOSTILE, write_hostile_content
from .server import running
from .test_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser

from playwright.sync_api import expect, sync_playwright  # noqa: E402

UNSAFE_ON_PAGE = """() => [...document.querySelectorAll('a[href], [src], area[href], form[action]')]
  .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '')
  .filter(u => /^(javascript|vbscript|data|file):/i.test(u.replace(/[\\x00-\\x20\\x7f]/g, '')))"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    content = write_hostile_content(tmp_path_factory.mktemp("content"))
    data = tmp_path_factory.mktemp("data")
    repo = TinyDBRepository(data)
    admin = AccountService(repo).create_first_admin(username="admin", password="admin-passord", name="Admin",
                                                    email="", municipality="0301")
    repo.update_user(admin.id, lambda u: u.model_copy(update={"name": f"Admin {HOSTILE}"}))
    repo.add_user(User(id="0301-fiendtlig", username="fiendtlig", name=f"Navn {HOSTILE}", municipality="0301",
                       unit=f"Enhet {HOSTILE}", created_at=NOW))
    with running(data, content) as url:
        yield url


def test_unsafe_links_in_authored_text_never_become_links(server):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(server)
        page.get_by_label("Brukernavn").fill("admin")
        page.get_by_label("Passord").fill("admin-passord")
        page.get_by_role("button", name="Logg inn").click()
        seen: dict[str, list[str]] = {}

        def check(where: str, marker) -> None:
            expect(marker).to_be_visible(timeout=20000)
            page.wait_for_timeout(500)
            seen[where] = page.evaluate(UNSAFE_ON_PAGE)

        button = page.get_by_role("button")
        check("katalog og sidemeny", button.filter(has_text="Start modulen"))
        shown_as_typed = page.get_by_text("Beskrivelse [d](data:text/html,x)").count()
        page.get_by_role("button", name="Start modulen").click()
        check("leksjon 1", button.filter(has_text="Neste leksjon"))
        page.get_by_role("button", name="Neste leksjon").click()
        check("leksjon 2", button.filter(has_text="Til scenarioet"))
        page.get_by_role("button", name="Til scenarioet").click()
        check("scenario", button.filter(has_text="Start scenarioet"))
        page.get_by_role("button", name="Start scenarioet").click()
        check("steg", page.get_by_text("Hva gjør du?"))
        assert page.evaluate("window.__pwned === undefined")
        browser.close()
    assert {where: urls for where, urls in seen.items() if urls} == {}
    assert shown_as_typed == 1
