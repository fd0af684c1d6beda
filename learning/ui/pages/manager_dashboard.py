"""Leader dashboard for one municipality: figures, heat maps, trend, staff, assignments, export."""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.municipalities import label
from learning.records import Role, User
from learning.services.authz import LEADER_ROLES
from learning.ui.components import area_label, unreadable_note
from learning.ui.context import repository
from learning.ui.pages import manager_tabs, team_sessions
from learning.ui.session import require


def municipality_for(user: User) -> str:
    """Managers and municipal admins see their own municipality; admins choose one."""
    if user.role != Role.ADMIN:
        return user.municipality
    numbers = sorted({u.municipality for u in repository().list_users()}, key=label)
    return st.selectbox(t("manager.choose_municipality"), numbers, format_func=label,
                        index=numbers.index(user.municipality) if user.municipality in numbers else 0)


def render() -> None:
    user = require(*LEADER_ROLES)
    st.title(t("manager.title"))
    municipality = municipality_for(user)
    board = manager_tabs.dashboard(user, municipality)
    if board is None:
        return
    scope = label(municipality)
    if board.service_area:
        scope += " · " + area_label(board.service_area)
    st.caption(t("manager.scope", scope=scope))
    unreadable_note(board.unreadable)
    overview, staff, assign, sessions, insight, export = st.tabs([
        t("manager.tab_overview"), t("manager.tab_staff"), t("manager.tab_assign"), t("sessions.tab"),
        t("manager.tab_insight"), t("manager.tab_export")])
    with overview:
        manager_tabs.overview(board, extra=[team_sessions.sessions_figure(user, board)])
    with staff:
        manager_tabs.staff(user, board)
    with assign:
        manager_tabs.assignments(user, board)
    with sessions:
        team_sessions.sessions_tab(user, board)
    with insight:
        manager_tabs.insight(user, municipality)
    with export:
        manager_tabs.export(user, board)
