"""A summary a leader can print or save as PDF for the city council: figures in sentences, no names.

Built only from the dashboard's aggregates (headline, per service area, trend, module titles)
and the scenario insight, whose small groups are already hidden; areas and modules with
fewer than 5 staff are shown without figures (``learning.summary``).
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from learning.content.models import ServiceArea
from learning.formatting import fmt_date, local, plain
from learning.i18n import t
from learning.municipalities import label
from learning.services.authz import LEADER_ROLES
from learning.services.reports import ReportService
from learning.summary import (
    area_extremes,
    by_area,
    by_module,
    headline_sentences,
    quiz_sentences,
    trend_sentences,
)
from learning.ui.components import area_label, unreadable_note
from learning.ui.context import content, repository
from learning.ui.pages.manager_dashboard import municipality_for
from learning.ui.pages.manager_tabs import _scope
from learning.ui.rerun_cache import session_action
from learning.ui.session import require

PRINT_STYLE = """
<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [class*="st-key-council-screen-only"]
    {display:none !important;}
  html, body, .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"]
    {position:static !important; overflow:visible !important; height:auto !important;}
  [data-testid="stMainBlockContainer"]{max-width:100% !important; padding:0 !important;}
  [data-testid="stHeading"], [data-testid="stTable"], [data-testid="stVegaLiteChart"]{break-inside:avoid;}
  @page {size:A4; margin:1.6cm 1.4cm;}
}
</style>
"""
"""Printing shows the summary alone: no menu, header or buttons, and every page of it (Streamlit's
scrolling containers would otherwise print only the first screen)."""


def _area_name(key: str) -> str:
    return area_label(None if key == "none" else ServiceArea(key))


def _compute(user, municipality: str):
    service = ReportService(repository(), content())
    board = service.dashboard(user, municipality)
    return service.clock(), board, service.quiz_insight(user, municipality)


def _trend_chart(trend) -> None:
    frame = pd.DataFrame([{"week": t("council_summary.week_label", week=week.isocalendar().week), "n": n}
                          for week, n, _ in trend])
    chart = alt.Chart(frame).mark_bar(color="#1a4fa0").encode(
        x=alt.X("week:N", sort=None, title=None, axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("n:Q", title=t("council_summary.trend_chart"), axis=alt.Axis(tickMinStep=1)),
        tooltip=[alt.Tooltip("week:N", title=t("manager.week")), alt.Tooltip("n:Q", title=t("manager.per_week"))])
    st.altair_chart(chart, width="stretch", height=200)


def render() -> None:
    user = require(*LEADER_ROLES)
    st.html(PRINT_STYLE)
    with st.container(key="council-screen-only-choose"):
        municipality = municipality_for(user)
    found = session_action("council_cache", _scope(user, municipality), lambda: _compute(user, municipality))
    if found is None:
        return
    taken, board, insight = found
    modules = content().modules
    st.title(t("council_summary.title", municipality=label(municipality)))
    if board.service_area:
        st.markdown(t("council_summary.scope_area", area=area_label(board.service_area)))
    moment = local(taken)
    st.markdown(t("council_summary.taken", date=fmt_date(moment), time=moment.strftime("%H:%M")))
    with st.container(key="council-screen-only-print"):
        st.caption(t("council_summary.print_hint"))
        st.html(f'<button type="button" id="council-print" style="padding:0.4rem 0.9rem;border:1px solid #1a4fa0;'
                f'border-radius:0.5rem;background:#fff;color:#1a4fa0;font:inherit;cursor:pointer">'
                f'{t("council_summary.print_button")}</button>'
                '<script>document.getElementById("council-print").onclick = () => window.print();</script>',
                unsafe_allow_javascript=True)
    unreadable_note(board.unreadable)

    st.header(t("council_summary.headline_title"))
    st.markdown(" ".join(headline_sentences(board.headline)))

    st.header(t("council_summary.areas_title"))
    areas = by_area(board, modules)
    if areas:
        st.markdown(t("council_summary.areas_intro"))
        st.table([{t("council_summary.col_area"): _area_name(a.key), t("council_summary.col_staff"): a.staff_text(),
                   t("council_summary.col_rate"): a.rate_text()} for a in areas], hide_index=True)
        extremes = area_extremes(areas, _area_name)
        if extremes:
            st.markdown(extremes)
        st.subheader(t("council_summary.modules_title"))
        st.table([{t("council_summary.col_module"): plain(board.module_titles.get(m.key, m.key)),
                   t("council_summary.col_staff"): m.staff_text(), t("council_summary.col_rate"): m.rate_text()}
                  for m in by_module(board, modules)], hide_index=True)

    st.header(t("council_summary.trend_title"))
    st.markdown(" ".join(trend_sentences(board.trend)))
    if any(n for _, n, _ in board.trend):
        _trend_chart(board.trend)

    st.header(t("council_summary.insight_title"))
    st.markdown(t("council_summary.insight_intro"))
    said = False
    for quiz in insight:
        sentences = quiz_sentences(quiz, plain(quiz.title))
        if sentences:
            st.markdown(" ".join(sentences))
            said = True
    if not said:
        st.markdown(t("council_summary.quiz_none"))
    st.caption(t("council_summary.privacy"))
