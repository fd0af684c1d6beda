"""Entry point: wires pages into navigation by role. Nothing else lives here.

Each page also checks the role itself (server side); the menu only hides what
a role cannot use.
"""

import streamlit as st

from learning.i18n import t
from learning.records import Role
from learning.services.authz import LEADER_ROLES, USER_ADMIN_ROLES
from learning.ui.components import setup_page, stop_on_damaged_data
from learning.ui.context import accounts, begin_run
from learning.ui.language import use_language
from learning.ui.navigation import every_address, gate, no_access_pages
from learning.ui.pages import layout, page, session_pages, sso_pending
from learning.ui.session import browser_sync_script, current_user
from learning.ui.sidebar import account_box, menu

EVERYONE = set(Role)
LEADERS = set(LEADER_ROLES)
AUTHORS = {Role.AUTHOR, Role.ADMIN}
MENU: dict[str, list[tuple[str, set[Role]]]] = {
    "nav.section_learn": [("catalog", EVERYONE), ("module", EVERYONE), ("my_learning", EVERYONE),
                          ("profile", EVERYONE), ("privacy_notice", EVERYONE), ("certificate_check", EVERYONE),
                          ("unsubscribe", EVERYONE), ("accessibility", EVERYONE)],
    "nav.section_lead": [("manager_dashboard", LEADERS), ("council_summary", LEADERS),
                         ("network", LEADERS | {Role.COORDINATOR})],
    "nav.section_author": [(name, AUTHORS) for name in ("author_home", "author_scenario", "author_lesson",
                                                        "author_review")],
    "nav.section_admin": [("admin_users", set(USER_ADMIN_ROLES)), ("audit_log", set(USER_ADMIN_ROLES))],
}

begin_run()  # services are looked up once per run
setup_page()
with stop_on_damaged_data():  # a damaged data file: a message naming it, never first-run set-up
    user = current_user()
    first_run = user is None and accounts().needs_first_admin()  # a signed-in user is in the store: not new
# t(), the content and the page's lang attribute follow the person from here; the page frame (styles, script)
# goes with what the browser must do about the sign-in cookie, as one element
use_language(user, browser_sync_script())


def menu_pages(role: Role) -> dict[str, list[st.Page]]:
    """The menu's sections with the pages ``role`` may use, and hidden pages at every other address."""
    sections: dict[str, list[st.Page]] = {}
    for section, items in MENU.items():
        allowed = [name for name, roles in items if role in roles]
        if allowed:
            sections[t(section)] = [page(name, default=name == "catalog") for name in allowed]
    sections[t("nav.section_learn")] += no_access_pages({n for items in MENU.values() for n, r in items if role in r})
    return sections


signed_in = False
if first_run:
    pages = session_pages("first_run", lambda: gate("first_run"))
elif user is None:
    pages = session_pages("sign_in", lambda: gate("sign_in"))
elif user.pending:  # came by single sign-on, not placed yet: the waiting page at every address
    pages = session_pages("sso_pending", lambda: every_address(
        sso_pending.render, title=t("nav.sso_pending"), icon=":material/hourglass_top:", own="venter"))
elif user.temporary_password_until is not None:  # a one-time password: a new one first, nothing else
    pages = session_pages("change_password", lambda: gate("change_password"))
    account_box(user)
else:
    signed_in = True
    pages = session_pages(("menu", user.role), lambda: menu_pages(user.role))  # built once per session

# Streamlit's own menu is hidden: sidebar.menu draws it with valid list markup and our own words.
current = st.navigation(pages, position="hidden")
if signed_in:
    menu(pages)
    account_box(user)
st.set_page_config(layout=layout(current))
with stop_on_damaged_data():
    current.run()
