"""Entry point: wires pages into navigation by role. Nothing else lives here."""

import streamlit as st

from learning.i18n import t
from learning.records import Role
from learning.ui.components import setup_page
from learning.ui.context import accounts
from learning.ui.pages import page
from learning.ui.session import current_user
from learning.ui.sidebar import account_box

setup_page()
user = current_user()

if accounts().needs_first_admin():
    pages = [page("first_run", default=True)]
elif user is None:
    pages = [page("sign_in", default=True)]
else:
    learn = [page("catalog", default=True), page("module"), page("my_learning"), page("profile")]
    pages = {t("nav.section_learn"): learn}
    if user.role == Role.ADMIN:
        pages[t("nav.section_admin")] = [page("admin_users")]
    account_box(user)

st.navigation(pages).run()
