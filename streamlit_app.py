"""Entry point: wires pages into navigation by role. Nothing else lives here.

Each page also checks the role itself (server side); the menu only hides what
a role cannot use.
"""

import streamlit as st

from learning.i18n import t
from learning.records import Role
from learning.services.authz import LEADER_ROLES, USER_ADMIN_ROLES
from learning.ui.components import setup_page, stop_on_damaged_data
from learning.ui.context import accounts
from learning.ui.language import use_language
from learning.ui.pages import layout, page
from learning.ui.session import current_user
from learning.ui.sidebar import account_box

EVERYONE = set(Role)
LEADERS = set(LEADER_ROLES)
AUTHORS = {Role.AUTHOR, Role.ADMIN}
MENU: dict[str, list[tuple[str, set[Role]]]] = {
    "nav.section_learn": [("catalog", EVERYONE), ("module", EVERYONE), ("my_learning", EVERYONE),
                          ("profile", EVERYONE), ("privacy_notice", EVERYONE)],
    "nav.section_lead": [("manager_dashboard", LEADERS), ("network", LEADERS | {Role.COORDINATOR})],
    "nav.section_author": [(name, AUTHORS) for name in ("author_home", "author_scenario", "author_lesson",
                                                        "author_review")],
    "nav.section_admin": [("admin_users", set(USER_ADMIN_ROLES)), ("audit_log", set(USER_ADMIN_ROLES))],
}

setup_page()
with stop_on_damaged_data():  # a damaged data file: a message naming it, never first-run set-up
    user = current_user()
    first_run = accounts().needs_first_admin()
use_language(user)  # t(), the content and the page's lang attribute follow the person from here

if first_run:
    pages = [page("first_run", default=True)]
elif user is None:
    pages = [page("sign_in", default=True)]
elif user.temporary_password_until is not None:  # a one-time password: a new one first, nothing else
    pages = [page("change_password", default=True)]
    account_box(user)
else:
    pages = {}
    for section, items in MENU.items():
        allowed = [page(name, default=name == "catalog") for name, roles in items if user.role in roles]
        if allowed:
            pages[t(section)] = allowed
    account_box(user)

current = st.navigation(pages)
st.set_page_config(layout=layout(current))
with stop_on_damaged_data():
    current.run()
