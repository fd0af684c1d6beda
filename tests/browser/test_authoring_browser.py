"""An author writes a 3-step scenario in a real browser and sends it to review; another author reads it.

Desktop size. Screenshots of the editor and the review page go to ``LEARNING_SCREENSHOTS``
(default: the test's temporary folder) to be looked at.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from learning.content.bundle import Kind, load_data
from learning.records import Role
from learning.services.accounts import AccountService
from learning.storage.tinydb_repo import TinyDBRepository

from ..conftest import FIXTURE_CONTENT
from .server import running
from .test_browser import ARGS, CHROMIUM

pytestmark = pytest.mark.browser
if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError("CI=true but chromium is missing: run scripts/setup-tests.sh")
    pytest.skip("chromium is not installed", allow_module_level=True)

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    content = tmp_path_factory.mktemp("content")
    shutil.copytree(FIXTURE_CONTENT, content, dirs_exist_ok=True)
    data = tmp_path_factory.mktemp("data")
    repo = TinyDBRepository(data)
    accounts = AccountService(repo)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Admin", email="",
                                        municipality="0301")
    for name in ("forf.en", "forf.to"):
        accounts.create_user(admin, username=name, password="passord123", name=name.title(), email="",
                             municipality="0301", role=Role.AUTHOR)
    with running(data, content) as url:
        yield url, data


def settle(page) -> None:
    """Wait until the page's rerun is over (Streamlit shows its running indicator meanwhile)."""
    page.wait_for_timeout(200)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"] button')",
                           timeout=20000)
    page.wait_for_timeout(100)


def sign_in(page, url: str, name: str) -> None:
    page.goto(url)
    expect(page.get_by_label("Brukernavn")).to_be_visible(timeout=30000)
    page.get_by_label("Brukernavn").fill(name)
    page.get_by_label("Passord").fill("passord123")
    page.get_by_role("button", name="Logg inn").click()
    settle(page)
    for _ in range(100):  # the session cookie arrives from the page's own script; then an address can be opened
        if any(c["name"] == "learning_session" for c in page.context.cookies()):
            return
        page.wait_for_timeout(100)
    raise AssertionError("no session cookie after sign-in")


def type_into(field, text: str) -> None:
    field.fill(text)
    field.press("Tab")  # Streamlit takes the value when the field is left
    settle(field.page)


def box(page, label: str):
    return page.get_by_role("textbox", name=label, exact=True)


def choose(page, label: str, option: str, nth: int = 0) -> None:
    """Pick ``option`` in a select box; open it again if a rerun redrew the box and closed its list."""
    settle(page)
    target = page.get_by_role("option", name=option)
    for _ in range(3):
        page.get_by_role("combobox", name=label).nth(nth).click()
        try:
            target.wait_for(timeout=8000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            settle(page)
    target.click()
    settle(page)


def write_step(page, number: int, name: str, text: str, choices: list[tuple[str, str]]) -> None:
    heading = page.get_by_role("heading", name=re.compile(rf"^Steg {number}: "))
    expect(heading).to_be_visible(timeout=20000)
    expect(box(page, "Hva skjer")).to_have_count(1, timeout=20000)  # the step before is gone from the page
    type_into(box(page, "Navn på steget"), name)
    type_into(box(page, "Hva skjer"), text)
    for n, (what, feedback) in enumerate(choices):
        type_into(box(page, "Hva du gjør").nth(n), what)
        type_into(box(page, "Tilbakemelding").nth(n), feedback)


def test_author_writes_three_steps_and_sends_them_to_review(server, tmp_path):
    url, data = server
    shots = Path(os.environ.get("LEARNING_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=DESKTOP)
        sign_in(page, url, "forf.en")
        page.goto(f"{url}/forfatter")
        expect(page.get_by_role("heading", name="Innhold")).to_be_visible(timeout=20000)
        box(page, "Tittel").fill("Mia i friminuttet")
        page.get_by_role("button", name="Lag utkast").click()
        expect(page.get_by_role("heading", name="Scenarioer")).to_be_visible(timeout=20000)
        settle(page)
        expect(page.get_by_text("Dette mangler før du kan sende til vurdering")).to_be_visible()
        page.screenshot(path=str(shots / "editor-new-draft.png"))

        type_into(box(page, "Innledning"), "Situasjonen og personene er oppdiktet. Du er lærer.")
        choose(page, "Tjeneste", "Skole")
        page.get_by_role("button", name=re.compile(r"^1\. Start: ")).click()
        settle(page)
        write_step(page, 1, "Mia sitter alene", "Mia (9) sitter alene i friminuttet.",
                   [("Du setter deg ved siden av henne.", "Mia merker at noen ser henne."),
                    ("Du går videre.", "Mia blir sittende alene.")])
        choose(page, "Neste steg", "➕ Nytt steg")
        write_step(page, 2, "Mia forteller", "Mia sier at ingen vil leke med henne.",
                   [("Du spør hva som har skjedd.", "Mia får fortelle med egne ord."),
                    ("Du sier at hun må spørre noen.", "Mia kjenner seg avvist.")])
        choose(page, "Neste steg", "➕ Nytt steg")
        write_step(page, 3, "Etter friminuttet", "Klokka ringer inn.",
                   [("Du avtaler å se Mia igjen i morgen.", "Mia vet at du kommer tilbake."),
                    ("Du glemmer det.", "Mia står alene igjen neste dag.")])
        expect(page.get_by_text("Alt er fylt ut.")).to_be_visible(timeout=10000)
        page.get_by_role("button", name=re.compile(r"^2\. Mia forteller")).click()
        settle(page)
        page.screenshot(path=str(shots / "editor-desktop.png"))

        page.get_by_role("tab", name="Send til vurdering").click()
        type_into(box(page, "Kunnskapsgrunnlag"), "Råd fra barn om friminutt, gjengitt med egne ord.")
        page.get_by_role("button", name="Send til vurdering").click()
        settle(page)
        expect(page.get_by_text("Utkastet er sendt til vurdering")).to_be_visible(timeout=20000)

        page = browser.new_context(viewport=DESKTOP).new_page()  # another author, another browser session
        sign_in(page, url, "forf.to")
        page.goto(f"{url}/forfatter-vurdering")
        expect(page.get_by_text("Steg 3: Etter friminuttet").first).to_be_visible(timeout=20000)
        page.screenshot(path=str(shots / "review-desktop.png"))
        page.get_by_text("Steg 3: Etter friminuttet").first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "review-desktop-steps.png"))
        browser.close()

    from learning.services.authoring.drafts import DRAFTS

    doc = TinyDBRepository(data).get_doc(DRAFTS, "quiz:mia-i-friminuttet")
    assert doc["status"] == "review"
    steps = load_data(doc["files"]["quizzes/mia-i-friminuttet.yaml"])["steps"]
    assert [s["id"] for s in steps] == ["start", "mia-forteller", "etter-friminuttet"]
    assert Kind.QUIZ.value == "quiz"


def test_open_editors_have_no_moderate_or_worse_violation(server):
    """The lesson editor with a draft open, in bokmål and as a nynorsk translation, at desktop and phone size.

    The page-by-page axe test stops at each editor's picker; this opens an item in each.
    """
    from .a11y import PHONE, axe, failing, summarise

    url, _ = server
    found: dict[str, list[dict]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport=DESKTOP)
        sign_in(page, url, "forf.en")
        for language, start in (("", "Lag et utkast og rediger"), ("&tekst=nn", "Begynn å oversette")):
            page.goto(f"{url}/forfatter-leksjon?id=prove-modul{language}")
            page.get_by_role("button", name=start).click()
            settle(page)
            expect(page.get_by_role("tab").first).to_be_visible(timeout=20000)
            for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(viewport)
                page.wait_for_timeout(400)
                found[f"{language or 'nb'} {size}"] = failing(summarise(axe(page)))
            page.set_viewport_size(DESKTOP)
        browser.close()
    assert found and not any(found.values()), found
