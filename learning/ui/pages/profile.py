"""Profile: name, e-mail, municipality, service area, workplace; change password."""

from __future__ import annotations

import streamlit as st

from learning.content.models import ServiceArea
from learning.i18n import t
from learning.municipalities import all_municipalities, label
from learning.ui.components import area_label, run_action
from learning.ui.context import accounts
from learning.ui.session import require

AREAS: list[ServiceArea | None] = [None, *[a for a in ServiceArea if a != ServiceArea.ALLE]]


def render() -> None:
    user = require()
    st.title(t("profile.title"))
    st.caption(t("profile.role_line", role=t(f"role.{user.role.value}"), username=user.username))
    numbers = list(all_municipalities())
    with st.form("profile"):
        name = st.text_input(t("profile.name"), value=user.name)
        email = st.text_input(t("profile.email"), value=user.email)
        municipality = st.selectbox(t("profile.municipality"), numbers, format_func=label,
                                    index=numbers.index(user.municipality) if user.municipality in numbers else 0)
        area = st.selectbox(t("profile.service_area"), AREAS, format_func=area_label,
                            index=AREAS.index(user.service_area))
        unit = st.text_input(t("profile.unit"), value=user.unit, help=t("profile.unit_help"))
        if st.form_submit_button(t("profile.save"), type="primary"):
            saved = run_action(lambda: accounts().update_profile(
                user, user.id, name=name, email=email, municipality=municipality, service_area=area, unit=unit))
            if saved:
                st.success(t("profile.saved"))
    st.subheader(t("profile.password_title"))
    with st.form("password", clear_on_submit=True):
        old = st.text_input(t("profile.password_old"), type="password", autocomplete="current-password")
        new = st.text_input(t("profile.password_new"), type="password", help=t("profile.password_help"),
                            autocomplete="new-password")
        repeat = st.text_input(t("profile.password_repeat"), type="password", autocomplete="new-password")
        if st.form_submit_button(t("profile.password_save")):
            if new != repeat:
                st.error(t("profile.password_mismatch"))
            elif run_action(lambda: accounts().change_password(user, old, new) or True):
                st.success(t("profile.password_saved"))
