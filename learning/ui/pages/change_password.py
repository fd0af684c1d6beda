"""Choose a new password after signing in with a one-time password from an admin.

While the password is temporary this is the only page the menu offers.
"""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.ui.pages.profile import password_form
from learning.ui.session import require


def render() -> None:
    user = require()
    st.title(t("temporary.title"))
    st.write(t("temporary.intro"))
    if password_form(user, old_label=t("temporary.old")):
        st.session_state["password_changed"] = True
        st.rerun()
