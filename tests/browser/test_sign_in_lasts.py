"""Staying signed in across reloads, deep links, and single sign-on, in a real browser.

The server is started as in production (``streamlit run app.py``, which adds the
session-cookie endpoints). The SSO test starts a real OpenID Connect provider on
localhost (``oidc-provider-mock``) and signs in through Streamlit's ``st.login``.
"""

from __future__ import annotations

import contextlib
import os
import shutil

import pytest

from learning.records import Role
from learning.services.accounts import AccountService
from learning.storage.tinydb_repo import TinyDBRepository

from ..conftest import FIXTURE_CONTENT
from .server import free_port, start_server, stop
from .test_browser import ARGS, CHROMIUM  # skips this module too when chromium is missing

pytestmark = pytest.mark.browser

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

COOKIE = "learning_session"
WAIT = 20000


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    content = tmp_path_factory.mktemp("content")
    shutil.copytree(FIXTURE_CONTENT, content, dirs_exist_ok=True)
    data = tmp_path_factory.mktemp("data")
    accounts = AccountService(TinyDBRepository(data))
    admin = accounts.create_first_admin(username="admin", password="admin-passord", name="Admin", email="",
                                        municipality="0301")
    for name in ("kari", "ola"):
        accounts.create_user(admin, username=name, password=f"{name}-passord", name=name.title(), email="",
                             municipality="0301", role=Role.LEARNER)
    port = free_port()
    process = start_server(data, content, port)
    yield f"http://127.0.0.1:{port}", data, admin
    stop(process)


@pytest.fixture
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def new_page(browser, url: str, cookie: dict | None = None):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    if cookie:
        context.add_cookies([cookie])
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']")
    return page


def session_cookie(page) -> dict:
    """The session cookie once the browser has it (the page fetches it right after sign-in)."""
    for _ in range(100):
        found = [c for c in page.context.cookies() if c["name"] == COOKIE]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError("no session cookie")


def sign_in(page, username: str, password: str) -> None:
    expect(page.get_by_role("textbox", name="Brukernavn")).to_be_visible(timeout=WAIT)
    page.get_by_role("textbox", name="Brukernavn").fill(username)
    page.get_by_role("textbox", name="Passord").fill(password)
    page.get_by_role("button", name="Logg inn", exact=True).click()


def expect_heading(page, name: str) -> None:
    expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible(timeout=WAIT)


def expect_signed_out(page) -> None:
    expect_heading(page, "Logg inn")
    expect(page.get_by_role("textbox", name="Brukernavn")).to_be_visible(timeout=WAIT)


def reload(page) -> None:
    page.reload()
    page.wait_for_selector("[data-testid='stApp']")


def test_a_deep_link_signed_out_shows_the_norwegian_sign_in_and_opens_after_it(site, browser):
    url, _, _ = site
    page = new_page(browser, f"{url}/profil")
    expect_signed_out(page)
    page.wait_for_timeout(500)
    assert page.get_by_text("Page not found").count() == 0
    sign_in(page, "kari", "kari-passord")
    expect_heading(page, "Profil")
    assert page.url.endswith("/profil")


def test_a_reload_keeps_a_local_account_signed_in_where_it_was(site, browser):
    url, _, _ = site
    page = new_page(browser, url)
    sign_in(page, "kari", "kari-passord")
    expect_heading(page, "Kompetansemoduler")
    cookie = session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"
    assert COOKIE not in page.url and "kari" not in cookie["value"]
    page.get_by_role("button", name="Start modulen").first.click()
    expect_heading(page, "Første leksjon")
    reload(page)
    expect_heading(page, "Første leksjon")  # the same lesson, signed in
    page.goto(f"{url}/min-laering")
    expect_heading(page, "Min læring")
    reload(page)
    expect_heading(page, "Min læring")
    assert page.evaluate("document.cookie").find(COOKIE) == -1  # HttpOnly: no script on the page reads it


def test_a_copied_session_stops_working_after_sign_out_and_after_deactivation(site, browser):
    url, data, admin = site
    page = new_page(browser, url)
    sign_in(page, "kari", "kari-passord")
    expect_heading(page, "Kompetansemoduler")
    copied = session_cookie(page)
    thief = new_page(browser, f"{url}/profil", copied)
    expect_heading(thief, "Profil")  # a copy works while the session lives: that is why it is HttpOnly
    page.get_by_role("button", name="Logg ut").click()
    expect_signed_out(page)
    reload(page)
    expect_signed_out(page)
    assert not [c for c in page.context.cookies() if c["name"] == COOKIE]
    expect_signed_out(new_page(browser, f"{url}/profil", copied))  # revoked at sign-out
    thief.get_by_role("link", name="Min læring").click()  # and the copy's live session ends at its next step
    expect_signed_out(thief)

    page = new_page(browser, url)
    sign_in(page, "ola", "ola-passord")
    expect_heading(page, "Kompetansemoduler")
    copied = session_cookie(page)
    expect_heading(new_page(browser, f"{url}/min-laering", copied), "Min læring")
    accounts = AccountService(TinyDBRepository(data))
    accounts.set_active(admin, accounts.repo.find_user("ola").id, False)
    expect_signed_out(new_page(browser, f"{url}/min-laering", copied))


def test_a_forged_or_foreign_value_is_refused(site, browser):
    url, _, _ = site
    page = new_page(browser, url)
    sign_in(page, "kari", "kari-passord")
    expect_heading(page, "Kompetansemoduler")
    cookie = session_cookie(page)
    body, mac = cookie["value"].split(".")
    forged = {**cookie, "value": body + "." + ("A" if mac[0] != "A" else "B") + mac[1:]}
    expect_signed_out(new_page(browser, url, forged))


# --- single sign-on through a real OpenID Connect provider ---------------------
@pytest.fixture(scope="module")
def sso_site(tmp_path_factory):
    from oidc_provider_mock import User, run_server_in_thread

    os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")  # the provider runs on http://localhost
    claims = {"name": "Siri Sone", "email": "siri@example.invalid", "groups": ["ansatte-oslo"]}
    with run_server_in_thread(user_claims=[User(sub="siri-123", claims=claims)]) as idp:
        content = tmp_path_factory.mktemp("sso-content")
        shutil.copytree(FIXTURE_CONTENT, content, dirs_exist_ok=True)
        data = tmp_path_factory.mktemp("sso-data")
        AccountService(TinyDBRepository(data)).create_first_admin(
            username="admin", password="admin-passord", name="Admin", email="", municipality="0301")
        port = free_port()
        secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
        secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "test-only-cookie-secret-0123456789abcdef"

[auth.testidp]
client_id = "learning-test"
client_secret = "test-only-client-secret"
server_metadata_url = "http://localhost:{idp.server_port}/.well-known/openid-configuration"

[sso.testidp]
label = "Test-kommunen"

[[sso.testidp.rules]]
claim = "groups"
value = "ansatte-oslo"
municipality = "0301"
role = "learner"
""", encoding="utf-8")
        process = start_server(data, content, port, "--secrets.files", str(secrets))
        yield f"http://127.0.0.1:{port}", data
        stop(process)


def test_single_sign_on_lands_as_the_mapped_user_survives_a_reload_and_signs_out(sso_site, browser):
    url, data = sso_site
    page = new_page(browser, url)
    page.get_by_role("button", name="Logg inn med Test-kommunen").click()
    page.get_by_role("button", name="siri-123").click()  # the provider's page: the predefined person
    expect_heading(page, "Kompetansemoduler")
    expect(page.get_by_text("Siri Sone")).to_be_visible(timeout=WAIT)
    siri = [u for u in TinyDBRepository(data).list_users() if u.identity_subject == "siri-123"]
    assert len(siri) == 1 and not siri[0].pending and siri[0].municipality == "0301"
    session_cookie(page)
    page.goto(f"{url}/min-laering")
    expect_heading(page, "Min læring")
    reload(page)
    expect_heading(page, "Min læring")
    page.get_by_role("button", name="Logg ut").click()
    with contextlib.suppress(PlaywrightError):  # the provider asks before it ends its own session; others do not
        page.get_by_role("button", name="End session").click(timeout=5000)
    page.goto(url)
    expect_signed_out(page)
    reload(page)
    expect_signed_out(page)
    names = {c["name"] for c in page.context.cookies() if c["domain"] == "127.0.0.1"}
    assert COOKIE not in names and "_streamlit_user" not in names
