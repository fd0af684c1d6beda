"""Accounts that came by single sign-on and wait for placement: a section of the users page.

Kept apart from admin_users.py so that page stays small; it places into the
municipality the page is showing (an admin's choice, a municipal admin's own).
"""

from __future__ import annotations

import streamlit as st

from learning.content.models import ServiceArea
from learning.formatting import plain
from learning.i18n import t
from learning.municipalities import label
from learning.records import Role, Unit, User
from learning.services.authz import GIVEN_BY_MUNICIPAL_ADMIN
from learning.ui.components import area_label, run_action
from learning.ui.rerun_cache import session_action
from learning.ui.session import sso

AREAS: list[ServiceArea | None] = [None, *[a for a in ServiceArea if a != ServiceArea.ALLE]]


def pending_section(admin: User, municipality: str, units: list[Unit]) -> None:
    """Nothing when no account waits; else who waits, what their provider said, and a placement form."""
    # Read every user (an admin: of every municipality) once per session and change of users, not per rerun
    # nor per sign-in (a new account waiting is a write of users, which moves the report version)
    waiting = session_action("admin-pending", (admin.id, admin.role), lambda: sso().pending(admin),
                             reports_only=True) or []
    if not waiting:
        return
    with st.expander(t("sso.admin_heading", count=len(waiting)), expanded=True, icon=":material/hourglass_top:"):
        st.caption(t("sso.admin_intro", municipality=label(municipality)))
        chosen = st.selectbox(t("sso.admin_choose"), waiting, key="pending-user",
                              format_func=lambda u: f"{u.name} ({u.email or u.username})")
        if chosen is None:
            return
        st.dataframe([{t("sso.claim"): key, t("sso.value"): ", ".join(value) if isinstance(value, list) else value}
                      for key, value in chosen.identity_claims.items()], hide_index=True)
        roles = list(Role) if admin.role == Role.ADMIN else [r for r in Role if r in GIVEN_BY_MUNICIPAL_ADMIN]
        with st.form("place-pending"):
            role = st.selectbox(t("admin.role"), roles, format_func=lambda r: t(f"role.{r.value}"))
            area = st.selectbox(t("profile.service_area"), AREAS, format_func=area_label)
            unit = st.selectbox(t("units.choose"), ["", *[u.name for u in units]],
                                format_func=lambda name: name or t("units.none"))
            if st.form_submit_button(t("sso.admin_place"), type="primary"):
                placed = run_action(lambda: sso().place(admin, chosen.id, municipality=municipality, role=role,
                                                        service_area=area, unit=unit))
                if placed is not None:
                    st.success(t("sso.admin_placed", name=plain(placed.name)))
