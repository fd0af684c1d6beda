"""Leader dashboard for one municipality: figures, heat maps, trend, staff, assignments, export."""

from __future__ import annotations

import streamlit as st

from learning.i18n import t
from learning.municipalities import label
from learning.records import Role, User
from learning.services.authz import LEADER_ROLES
from learning.ui.components import area_label, run_action, unreadable_note
from learning.ui.pages import manager_tabs, team_sessions
from learning.ui.session import require

VIEWS = ("overview", "staff", "assign", "sessions", "insight", "export")


def municipality_for(user: User) -> str:
    """Managers and municipal admins see their own municipality; admins choose one."""
    if user.role != Role.ADMIN:
        return user.municipality
    numbers = sorted(run_action(lambda: manager_tabs.reports().municipalities(user)) or [user.municipality],
                     key=label)
    return st.selectbox(t("manager.choose_municipality"), numbers, format_func=label,
                        index=numbers.index(user.municipality) if user.municipality in numbers else 0)


def render() -> None:
    """One view at a time (not tabs: Streamlit runs every tab's code on every rerun)."""
    user = require(*LEADER_ROLES)
    st.title(t("manager.title"))
    municipality = municipality_for(user)
    scope = label(municipality)
    area = user.manager_area if user.role == Role.MANAGER else None
    if area:
        scope += " · " + area_label(area)
    st.caption(t("manager.scope", scope=scope))
    view = st.radio(t("staffpage.view"), VIEWS, horizontal=True, key="manager_view",
                    format_func=lambda v: t("sessions.tab") if v == "sessions" else t(f"manager.tab_{v}"),
                    label_visibility="collapsed")
    if view == "staff":
        manager_tabs.staff(user, municipality)
    elif view == "assign":
        manager_tabs.assignments(user, municipality)
    elif view == "insight":
        manager_tabs.insight(user, municipality)
    else:
        board = manager_tabs.dashboard(user, municipality)
        if board is None:
            return
        unreadable_note(board.unreadable)
        if view == "export":
            manager_tabs.export(user, board)
        elif view == "sessions":
            team_sessions.sessions_tab(user, board)
        else:
            manager_tabs.overview(board, extra=[team_sessions.sessions_figure(user, board)])
