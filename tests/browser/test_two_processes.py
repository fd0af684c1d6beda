"""Two app processes on one database, as behind a load balancer: a write through one is seen by the other.

Both run ``streamlit run app.py`` as in production on one PostgreSQL database (the test
cluster). A learner's progress written through process A shows in the leader's dashboard
in process B on its next rerun (B's per-session cache keys on the store's
``data_version``), and content published by a third process (the test, as the command
line would) shows in A's module list on its next rerun (the process-wide catalog cache
keys on ``docs_version``). A per-process counter would leave B's figure and A's list stale.
The same flow on one TinyDB folder passes too (about 25 s more, so not run here);
``test_storage.py`` shows that a TinyDB write by another process moves both versions.
"""

from __future__ import annotations

import shutil
from contextlib import ExitStack

import pytest

from learning.content.bundle import Kind
from learning.content.catalog import load_catalog
from learning.records import Role
from learning.services.authoring import AuthoringService
from learning.storage.tinydb_repo import TinyDBRepository

from ..conftest import FIXTURE_CONTENT
from ..helpers import admin_and_accounts, make_user
from ..test_authoring_service import PROVENANCE, module_files, write_valid_quiz
from .server import free_port, start_server, stop, wait_until_up
from .test_browser import ARGS, CHROMIUM  # skips this module too when chromium is missing

pytestmark = pytest.mark.browser

from playwright.sync_api import expect, sync_playwright  # noqa: E402

WAIT = 30000


def open_store(backend: str, request, data):
    if backend == "postgres":
        from learning.storage.postgres_repo import PostgresRepository

        url = request.getfixturevalue("postgres_url")
        return PostgresRepository(url, pool_size=2), url
    return TinyDBRepository(data), None


def sign_in(browser, url: str, username: str, heading: str):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(url)
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord", exact=True).fill("passord123")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=WAIT)
    return page


def started(page):
    metric = page.get_by_test_id("stMetric").filter(has_text="Har startet")
    return metric.get_by_test_id("stMetricValue")


def go_to(page, link: str, heading: str) -> None:
    """Another page in the same session: a rerun, with the session's state (and caches) kept."""
    page.get_by_test_id("stSidebar").get_by_role("link", name=link, exact=True).click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=WAIT)


@pytest.mark.parametrize("backend", ["postgres"])  # "tinydb" works too: two processes on one data folder
def test_a_write_through_one_app_process_is_seen_by_the_other_on_its_next_rerun(backend, request, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    data = tmp_path / "data"
    repo, url = open_store(backend, request, data)
    accounts, admin = admin_and_accounts(repo)
    make_user(accounts, admin, "kari")
    make_user(accounts, admin, "leder", role=Role.MANAGER, area=None)
    authors = [make_user(accounts, admin, name, role=Role.AUTHOR, area=None) for name in ("forf1", "forf2")]
    authoring = AuthoringService(repo, load_catalog(content), content)
    write_valid_quiz(authoring, authors[0], "ny-quiz")
    authoring.submit(authors[0], Kind.QUIZ, "ny-quiz", PROVENANCE)
    authoring.approve(authors[1], Kind.QUIZ, "ny-quiz")
    authoring.create(authors[0], Kind.MODULE, "ny-modul", "Ny modul")
    authoring.save(authors[0], Kind.MODULE, "ny-modul", module_files())
    authoring.submit(authors[0], Kind.MODULE, "ny-modul", PROVENANCE)

    with ExitStack() as stack:
        ports = [free_port(), free_port()]
        processes = [start_server(data, content, port, database_url=url, wait=False) for port in ports]
        for process in processes:
            stack.callback(stop, process)
        for process, port in zip(processes, ports, strict=True):
            wait_until_up(process, port)
        a, b = (f"http://127.0.0.1:{port}" for port in ports)
        playwright = stack.enter_context(sync_playwright())
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        stack.callback(browser.close)

        leader = sign_in(browser, b, "leder", "Kompetansemoduler")
        go_to(leader, "Oversikt", "Oversikt for ledere")
        expect(started(leader)).to_have_text("0", timeout=WAIT)
        learner = sign_in(browser, a, "kari", "Kompetansemoduler")
        expect(learner.get_by_text("Ny modul")).to_have_count(0)

        learner.get_by_role("button", name="Start modulen").click()
        expect(learner.get_by_role("heading", name="Første leksjon")).to_be_visible(timeout=WAIT)
        learner.get_by_role("button", name="Neste leksjon").click()  # a lesson read: progress, written by process A
        expect(learner.get_by_role("heading", name="Andre leksjon")).to_be_visible(timeout=WAIT)
        go_to(leader, "Min læring", "Min læring")
        go_to(leader, "Oversikt", "Oversikt for ledere")
        expect(started(leader)).to_have_text("1", timeout=WAIT)  # process B's cached dashboard was renewed
        leader.screenshot(path=str(tmp_path / "leader-in-b.png"), full_page=True)

        authoring.approve(authors[1], Kind.MODULE, "ny-modul")  # published by a third process
        go_to(learner, "Moduler", "Kompetansemoduler")
        expect(learner.get_by_text("Ny modul").first).to_be_visible(timeout=WAIT)
        learner.screenshot(path=str(tmp_path / "learner-in-a.png"), full_page=True)
    if backend == "postgres":
        repo.close()
