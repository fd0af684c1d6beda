"""Team sessions on the leader dashboard: record one, list them, and show attendance apart from completion."""

from __future__ import annotations

import streamlit as st

from learning.formatting import fmt_date, plain
from learning.i18n import t
from learning.records import User
from learning.services.headline import Figure
from learning.services.reports import Dashboard, ReportService
from learning.services.team_sessions import TeamSessionService
from learning.ui.components import run_action
from learning.ui.context import content, repository
from learning.ui.rerun_cache import session_action, session_cached


def service() -> TeamSessionService:
    return TeamSessionService(repository(), content())


def reports() -> ReportService:
    return ReportService(repository(), content())


def sessions_figure(user: User, board: Dashboard) -> Figure:
    """Staff in the board's scope who attended a session, of all its staff (apart from completion)."""
    attended = session_cached("sessions_attended", (user.id, user.role, board.municipality), lambda: reports(
        ).staff_among(user, board.municipality, service().attendees(user, board.municipality)))
    done, staff = len(attended), board.headline.staff
    return Figure("sessions", str(done), t("headline.sessions", count=done, staff=staff))


def _sessions(user: User, municipality: str) -> list:
    """The municipality's sessions as this leader sees them: kept for the session until anything is written."""
    return session_action("sessions_list", (user.id, user.role, municipality),
                          lambda: service().list(user, municipality)) or []


def sessions_tab(user: User, board: Dashboard) -> None:
    st.header(t("sessions.title"))
    st.write(t("sessions.intro"))
    sessions = _sessions(user, board.municipality)
    names = session_cached("sessions_names", (user.id, user.role, board.municipality), lambda: reports(
        ).staff_among(user, board.municipality, (uid for s in sessions for uid in s.attendees)))
    if not sessions:
        st.caption(t("sessions.none"))
    for session in sessions:
        left, right = st.columns([5, 1])
        left.markdown(t("sessions.line", day=fmt_date(session.day),
                        module=plain(board.module_titles.get(session.module_id, session.module_id)),
                        unit=plain(session.unit or "–"), facilitator=plain(session.facilitator),
                        count=len(session.attendees)))
        left.caption(", ".join(plain(names[uid].name) for uid in session.attendees if uid in names))
        if right.button(t("sessions.delete"), key=f"del-session-{session.id}"):
            run_action(lambda session=session: service().delete(user, session.id))
            st.rerun()
    _form(user, board)


ATTENDEE_CHOICES = 500  # a unit's staff; without a unit, the first this many by name


def _form(user: User, board: Dashboard) -> None:
    """The unit is chosen outside the form (a form's widgets do not rerun the page), so the attendee
    list is that unit's staff, read a page at a time by the store, never every person of a city."""
    st.header(t("sessions.new"))
    unit = st.selectbox(t("sessions.unit"), ["", *board.units], format_func=lambda u: u or "–",
                        key="team-session-unit")
    people = session_action("sessions_people", (user.id, user.role, board.municipality, unit), lambda: reports(
        ).staff_page(user, board.municipality, units=[unit] if unit else [], size=ATTENDEE_CHOICES).rows) or []
    labels = {r.user_id: f"{r.name} – {r.unit}" for r in people}
    with st.form("team-session", clear_on_submit=True):
        module = st.selectbox(t("sessions.module"), list(board.module_titles),
                              format_func=lambda m: board.module_titles[m])
        day = st.date_input(t("sessions.day"), max_value=service().today(), format="DD.MM.YYYY")
        facilitator = st.text_input(t("sessions.facilitator"), max_chars=120, help=t("sessions.facilitator_help"))
        attendees = st.multiselect(t("sessions.attendees"), list(labels), format_func=lambda uid: labels.get(uid, uid))
        if st.form_submit_button(t("sessions.save"), type="primary"):
            saved = run_action(lambda: service().record(
                user, municipality=board.municipality, module_id=module, day=day, unit=unit,
                facilitator=facilitator, attendees=attendees))
            if saved:
                st.success(t("sessions.saved", count=len(saved.attendees)))


def person_sessions(user: User, municipality: str, titles: dict[str, str], user_id: str) -> None:
    """In a person's drill-down: the sessions they attended, apart from their modules."""
    st.markdown(f"**{t('sessions.person')}**")
    mine = [s for s in _sessions(user, municipality) if user_id in s.attendees]
    if not mine:
        st.caption(t("sessions.person_none"))
    for session in mine:
        st.markdown("- " + t("sessions.person_line", day=fmt_date(session.day),
                             module=plain(titles.get(session.module_id, session.module_id))))
