"""The sidebar: the menu of the pages a role may use, who is signed in, and sign-out.

The menu is drawn here with ``st.page_link`` instead of Streamlit's own navigation
menu, whose markup fails WCAG (a ``<ul>`` holding ``<div>`` section headers, so screen
readers announce a broken list) and carries an English label ("App pages").
"""

from __future__ import annotations

import streamlit as st

from learning.formatting import plain
from learning.i18n import t
from learning.municipalities import name_of
from learning.records import User
from learning.ui.session import sign_out


def menu(sections: dict[str, list[st.Page]]) -> None:
    """Each section's visible pages as links; the current page is marked by Streamlit (and aria-current)."""
    with st.sidebar:
        for section, pages in sections.items():
            visible = [page for page in pages if page.visibility == "visible"]
            if not visible:
                continue
            st.markdown(f"**{plain(section)}**")
            for page in visible:
                st.page_link(page, label=page.title, icon=page.icon or None, width="stretch")


def account_lines(user: User) -> str:
    """A rule, who is signed in, and their role and municipality in small print: one Markdown element
    where there were three (each element costs every rerun)."""
    role_line = t("sidebar.role_line", role=t(f"role.{user.role.value}"), municipality=name_of(user.municipality))
    return f"---\n\n{t('sidebar.signed_in_as', name=plain(user.name))}\n\n:small[{plain(role_line)}]"


def account_box(user: User) -> None:
    with st.sidebar:
        st.markdown(account_lines(user))
        if st.button(t("sidebar.sign_out"), icon=":material/logout:"):
            sign_out()
            st.rerun()
