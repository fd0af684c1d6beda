"""Admin: create users and see who has access."""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.municipalities import all_municipalities, label
from learning.records import Role, User
from learning.ui.components import area_label, run_action
from learning.ui.context import accounts
from learning.ui.pages.profile import AREAS
from learning.ui.session import require


def render() -> None:
    admin = require(Role.ADMIN)
    st.title(t("admin.title"))
    numbers = list(all_municipalities())
    with st.form("new_user", clear_on_submit=False):
        st.subheader(t("admin.new_user"))
        name = st.text_input(t("profile.name"))
        username = st.text_input(t("signin.username"), help=t("profile.username_help"))
        email = st.text_input(t("profile.email"))
        municipality = st.selectbox(t("profile.municipality"), numbers, format_func=label,
                                    index=numbers.index(admin.municipality) if admin.municipality in numbers else 0)
        area = st.selectbox(t("profile.service_area"), AREAS, format_func=area_label)
        unit = st.text_input(t("profile.unit"))
        role = st.selectbox(t("admin.role"), list(Role), format_func=lambda r: t(f"role.{r.value}"))
        manager_area = st.selectbox(t("admin.manager_area"), AREAS,
                                    format_func=lambda a: area_label(a) if a else t("admin.manager_area_all"))
        password = st.text_input(t("admin.first_password"), type="password", help=t("profile.password_help"),
                                 autocomplete="new-password")
        if st.form_submit_button(t("admin.create"), type="primary"):
            created = run_action(lambda: accounts().create_user(
                admin, username=username, password=password, name=name, email=email,
                municipality=municipality, role=role, service_area=area, unit=unit, manager_area=manager_area))
            if created:
                st.success(t("admin.created", username=created.username))
    users = accounts().list_users(admin)
    _edit_user(admin, users)
    st.subheader(t("admin.users"))
    st.dataframe(
        [{t("profile.name"): u.name, t("signin.username"): u.username, t("admin.role"): t(f"role.{u.role.value}"),
          t("profile.municipality"): label(u.municipality), t("profile.unit"): u.unit,
          t("admin.can_sign_in"): t("common.yes") if u.password_hash and u.active else t("common.no")}
         for u in users],
        hide_index=True, width="stretch")


def _edit_user(admin: User, users: list[User]) -> None:
    st.subheader(t("admin.edit_user"))
    chosen = st.selectbox(t("admin.choose_user"), users, format_func=lambda u: f"{u.name} ({u.username})",
                          index=None)
    if chosen is None:
        return
    with st.form("edit_user"):
        roles = list(Role)
        role = st.selectbox(t("admin.role"), roles, index=roles.index(chosen.role),
                            format_func=lambda r: t(f"role.{r.value}"))
        manager_area = st.selectbox(t("admin.manager_area"), AREAS, index=AREAS.index(chosen.manager_area),
                                    format_func=lambda a: area_label(a) if a else t("admin.manager_area_all"))
        active = st.checkbox(t("admin.active"), value=chosen.active)
        if st.form_submit_button(t("admin.save_user"), type="primary"):
            service = accounts()
            done = run_action(lambda: service.set_role(admin, chosen.id, role, manager_area)) and \
                run_action(lambda: service.set_active(admin, chosen.id, active))
            if done:
                st.success(t("admin.saved_user", username=chosen.username))
