"""The council summary printed to PDF, and the catalog on a phone, in a real browser.

The PDF is what chromium's print gives (``page.pdf`` uses the print styles); ``pdftotext`` reads it
back and ``pdftoppm`` (poppler-utils) turns it into images to look at. Set ``LEARNING_SCREENSHOTS``
to a folder to keep the PDF and the images.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from learning.content.models import ServiceArea
from learning.records import Role
from learning.services.accounts import AccountService
from learning.storage.tinydb_repo import TinyDBRepository

from ..conftest import FIXTURE_CONTENT
from ..helpers import NOW, ensure_unit
from ..reports_fixtures import OSLO, completed
from .server import running
from .test_browser import ARGS, CHROMIUM  # skips this module too when chromium is missing

pytestmark = pytest.mark.browser

from playwright.sync_api import expect, sync_playwright  # noqa: E402

WAIT = 30000
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")


def small_world(repo) -> None:
    """A leader and 10 staff in Oslo (7 at a school, 3 in a kindergarten); 2 passwords hashed, not 11."""
    accounts = AccountService(repo, clock=lambda: NOW)
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Admin", email="",
                                        municipality=OSLO)
    ensure_unit(repo, OSLO, "Bjørkelia skole", ServiceArea.SKOLE)
    ensure_unit(repo, OSLO, "Solsikken barnehage", ServiceArea.BARNEHAGE)
    accounts.create_user(admin, username="leder-oslo", password="passord123", name="Leder Oslo", email="",
                         municipality=OSLO, role=Role.MANAGER)
    learner = accounts.create_user(admin, username="oslo-skole-0", password="passord123", name="Oslo-Skole-0",
                                   email="", municipality=OSLO, role=Role.LEARNER, service_area=ServiceArea.SKOLE,
                                   unit="Bjørkelia skole")
    others = [learner.model_copy(update={"id": f"{OSLO}-stab{n}", "username": f"oslo-{n}", "name": f"Oslo-Skole-{n}",
                                         "password_hash": None}) for n in range(1, 7)]
    others += [learner.model_copy(update={"id": f"{OSLO}-bhg{n}", "username": f"bhg-{n}", "name": f"Oslo-Bhg-{n}",
                                          "password_hash": None, "service_area": ServiceArea.BARNEHAGE,
                                          "unit": "Solsikken barnehage"}) for n in range(3)]
    repo.add_users(others)
    repo.bulk_load_state({user.id: ([completed(days_ago=7 * n)], []) for n, user in enumerate(others[:5])})


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = tmp_path_factory.mktemp("content")
    shutil.copytree(FIXTURE_CONTENT, content, dirs_exist_ok=True)
    data = tmp_path_factory.mktemp("data")
    small_world(TinyDBRepository(data))
    with running(data, content) as url:
        yield url


@pytest.fixture
def out(tmp_path) -> Path:
    folder = Path(os.environ.get("LEARNING_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def signed_in(browser, url: str, username: str, width: int, height: int):
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    expect(page.get_by_label("Brukernavn")).to_be_visible(timeout=WAIT)
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill("passord123")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Kompetansemoduler")).to_be_visible(timeout=WAIT)
    return page


@pytest.mark.skipif(not POPPLER and os.environ.get("CI") != "true", reason="poppler-utils is not installed")
def test_council_summary_prints_to_pdf_without_the_menu(site, out):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = signed_in(browser, site, "leder-oslo", 1280, 900)
        page.goto(f"{site}/sammendrag")
        expect(page.get_by_role("heading", name="Sammendrag: Oslo (0301)")).to_be_visible(timeout=WAIT)
        expect(page.get_by_role("button", name="Skriv ut eller lagre som PDF")).to_be_visible()
        expect(page.get_by_text("Sammendraget har ingen navn.")).to_be_visible(timeout=WAIT)  # the end of it
        page.wait_for_timeout(1500)  # the trend chart draws after the text
        pdf = out / "sammendrag.pdf"
        page.pdf(path=str(pdf), format="A4", print_background=True)
        browser.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Sammendrag: Oslo (0301)" in text and "Tallene er hentet" in text
    assert "10 ansatte er med." in text and "Fullføring per tjenesteområde" in text
    assert "Skriv ut eller lagre som PDF" not in text  # the button and the menu are for the screen only
    assert "Innlogget som" not in text and "Nettverket" not in text
    assert "Oslo-Skole" not in text  # no names
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(pdf), str(out / "sammendrag")], check=True)
    assert sorted(path.name for path in out.glob("sammendrag-*.png"))


def test_catalog_on_a_phone_is_compact_and_keeps_its_filters(site, out):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = signed_in(browser, site, "oslo-skole-0", 390, 844)
        card = page.locator("[class*='st-key-catalog-card-']").first
        expect(card).to_be_visible()
        expect(page.get_by_text("En liten modul som testene bruker.")).to_be_hidden()  # the description: desktop only
        page.get_by_label("Søk").fill("prøve")
        page.keyboard.press("Enter")
        page.wait_for_url("**sok=pr%C3%B8ve**", timeout=WAIT)
        page.reload()
        expect(page.get_by_label("Søk")).to_have_value("prøve", timeout=WAIT)
        page.screenshot(path=str(out / "katalog-mobil.png"))
        browser.close()
