"""Avmelding: a public page where a signed link from an e-mail turns the weekly digest off (or on again).

A button press, not the link itself, changes the setting: mail scanners open links.
"""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.services.mail import set_subscribed, wants
from learning.services.reminders import read_unsubscribe_token
from learning.session_tokens import server_secret
from learning.ui.context import repository


def render() -> None:
    st.title(t("mail.unsubscribe_title"))
    found = read_unsubscribe_token(server_secret(), st.query_params.get("token", ""))
    repo = repository()
    if found is None or repo.get_user(found[0]) is None:
        st.error(t("mail.unsubscribe_invalid"))
        return
    user_id, kind = found
    if wants(repo, user_id, kind):
        st.write(t("mail.unsubscribe_intro"))
        if st.button(t("mail.unsubscribe_button"), type="primary"):
            set_subscribed(repo, user_id, kind, False)
            st.rerun()
    else:
        st.success(t("mail.unsubscribed"))
        if st.button(t("mail.resubscribe_button")):
            set_subscribed(repo, user_id, kind, True)
            st.rerun()
