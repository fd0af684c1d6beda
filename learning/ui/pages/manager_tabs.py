"""The dashboard's tabs; each takes the computed Dashboard and draws one view."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from learning.content.models import ServiceArea
from learning.formatting import fmt_date, parse_stamp, plain, unique_labels
from learning.i18n import t
from learning.records import User
from learning.services import exports
from learning.services.audit import audited_export
from learning.services.reports import COMPLETED, Dashboard, ReportService
from learning.services.team_sessions import TeamSessionService
from learning.ui.charts import chart_height, heat_map
from learning.ui.components import area_label, run_action
from learning.ui.context import assignments_service, content, repository
from learning.ui.headline import show_headline
from learning.ui.insight import insight_view
from learning.ui.pages.renewals import renewal_days_fields, renewal_table
from learning.ui.pages.team_sessions import person_sessions

STATUSES = ["not_started", "in_progress", "completed"]


def _session_cached(name: str, key: tuple, compute):
    """``compute()`` once per session until anything is written (or the key changes).

    Typing in a filter reruns the page; recomputing 20 000 staff each time would cost ~0.6 s.
    """
    full_key = (key, repository().data_version())
    cached = st.session_state.get(name)
    if cached and cached[0] == full_key:
        return cached[1]
    value = run_action(compute)
    if value is not None:
        st.session_state[name] = (full_key, value)
    return value


def _scope(user: User, municipality: str) -> tuple:
    return (user.id, user.role, user.manager_area, municipality)


def dashboard(user: User, municipality: str) -> Dashboard | None:
    return _session_cached("dashboard_cache", _scope(user, municipality),
                           lambda: ReportService(repository(), content()).dashboard(user, municipality))


def overview(board: Dashboard, extra=None) -> None:
    show_headline(board, extra)
    st.subheader(t("manager.matrix_area"))
    _matrix(board, board.by_area, lambda key: area_label(None if key == "none" else ServiceArea(key)),
            t("report.col_area"))
    st.subheader(t("manager.matrix_unit"))
    _matrix(board, board.by_unit, str, t("report.col_unit"))
    st.subheader(t("manager.trend"))
    frame = pd.DataFrame([{t("manager.week"): week, t("manager.per_week"): n, t("manager.cumulative"): total}
                          for week, n, total in board.trend])
    st.bar_chart(frame, x=t("manager.week"), y=t("manager.per_week"), x_label=t("manager.week"),
                 y_label=t("manager.per_week"), height=220)
    st.line_chart(frame, x=t("manager.week"), y=t("manager.cumulative"), x_label=t("manager.week"),
                  y_label=t("manager.cumulative"), height=220)


def _matrix(board: Dashboard, source, name_of, column_title: str) -> None:
    """Keyed by module id and row key; titles are only labels (two modules may share a title).

    The chart's columns use the modules' short names (``short_title``), so a slanted label is not cut.
    """
    modules = content().modules
    short = unique_labels({m: modules[m].meta.label if m in modules else title
                           for m, title in board.module_titles.items()})
    rows = [{"module_id": m, "module": short[m], "key": key, "row": name_of(key),
             "rate": cell.rate or 0, "label": f"{cell.rate} % ({cell.completed}/{cell.staff})"}
            for m, cells in source.items() for key, cell in cells.items() if cell.staff]
    if not rows:
        st.info(t("manager.no_staff"))
        return
    frame = pd.DataFrame(rows)
    st.altair_chart(heat_map(frame, column_title), width="stretch", height=chart_height(frame) + 200,
                    alt=t("manager.heat_alt", rows=column_title))
    with st.expander(t("manager.as_table")):
        table = frame.pivot(index="key", columns="module_id", values="label").fillna("")
        table = table.reindex(columns=[m for m in board.module_titles if m in table.columns])
        table = table.rename(columns=board.module_titles, index=dict(zip(frame["key"], frame["row"], strict=True)))
        table.index.name, table.columns.name = column_title, t("report.col_module")
        st.dataframe(table, width="stretch")


def staff(user: User, board: Dashboard) -> None:
    left, right = st.columns(2)
    search = left.text_input(t("manager.search"), placeholder=t("manager.search_hint"))
    areas = right.multiselect(t("report.col_area"), sorted({r.service_area for r in board.rows if r.service_area}),
                              format_func=area_label)
    left, mid, right = st.columns(3)
    units = left.multiselect(t("report.col_unit"), sorted({r.unit for r in board.rows if r.unit}))
    module = mid.selectbox(t("report.col_module"), [None, *board.module_titles],
                           format_func=lambda m: board.module_titles[m] if m else t("manager.all_modules"))
    status = right.selectbox(t("manager.status"), [None, *STATUSES, "overdue"], disabled=module is None,
                             format_func=lambda s: t(f"status.{s}") if s in STATUSES else
                             (t("duty.overdue") if s else t("manager.any_status")))
    rows = [r for r in board.rows
            if (not search or search.casefold() in r.name.casefold())
            and (not areas or r.service_area in areas) and (not units or r.unit in units)
            and (module is None or status is None
                 or (status == "overdue" and r.modules[module].duty and r.modules[module].duty.value == "overdue")
                 or r.modules[module].status == status)]
    st.caption(t("manager.showing", shown=len(rows), total=len(board.rows)))
    table = [{t("report.col_name"): r.name, t("report.col_unit"): r.unit,
              t("report.col_area"): area_label(r.service_area), t("report.col_completed"): r.count(COMPLETED),
              t("report.col_in_progress"): r.count("in_progress"), t("report.col_overdue"): r.overdue,
              t("report.col_last_active"): parse_stamp(r.last_activity)} for r in rows]
    if module is not None:
        for line, r in zip(table, rows, strict=True):
            line[board.module_titles[module]] = t(f"status.{r.modules[module].status}")
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={t("report.col_last_active"): st.column_config.DatetimeColumn(format="DD.MM.YYYY")})
    st.subheader(t("manager.person"))
    chosen = st.selectbox(t("manager.choose_person"), [None, *[r.user_id for r in rows]],
                          format_func=lambda uid: next((f"{r.name} – {r.unit}" for r in rows if r.user_id == uid),
                                                       t("manager.nobody")))
    if chosen:
        found = _session_cached("person_cache", (*_scope(user, board.municipality), chosen),  # a view is logged
                                lambda: ReportService(repository(), content()).person(user, board.municipality, chosen))
        if found is None:
            return
        _, person = found
        st.dataframe([{t("report.col_module"): board.module_titles[m], t("manager.status"): t(f"status.{s.status}"),
                       t("manager.started_on"): fmt_date(parse_stamp(s.started_at)),
                       t("manager.completed_on"): fmt_date(parse_stamp(s.completed_at)),
                       t("manager.best_score"): "" if s.best_percent is None else f"{s.best_percent} %",
                       t("manager.attempts"): s.attempts,
                       t("manager.required"): (f"{t(f'duty.{s.duty.value}')} – {t('report.deadline')} "
                                               f"{fmt_date(s.deadline)}") if s.duty else ""}
                      for m, s in person.modules.items()], hide_index=True, width="stretch")
        person_sessions(user, board, chosen)


def assignments(user: User, board: Dashboard) -> None:
    service = assignments_service()
    items = run_action(lambda: service.list(user, board.municipality)) or []
    st.subheader(t("assign.title"))
    if not items:
        st.info(t("assign.none"))
    for item in items:
        target = (t("assign.target_unit", unit=item.unit) if item.unit else
                  area_label(item.service_area) if item.service_area else t("assign.target_all"))
        renew = t("assign.renew_every", months=item.renew_months) if item.renew_months else ""
        left, right = st.columns([5, 1])
        left.markdown(t("assign.line", module=plain(board.module_titles.get(item.module_id, item.module_id)),
                        target=plain(target), deadline=fmt_date(item.deadline), renew=renew))
        if right.button(t("assign.delete"), key=f"del-{item.id}"):
            run_action(lambda item=item: service.delete(user, item.id))
            st.rerun()
    overdue = [(r, m, s) for r in board.rows for m, s in r.modules.items() if s.duty and s.duty.value == "overdue"]
    st.subheader(t("assign.overdue_title", count=len({r.user_id for r, _, _ in overdue})))
    if overdue:
        st.dataframe([{t("report.col_name"): r.name, t("report.col_unit"): r.unit,
                       t("report.col_module"): board.module_titles[m], t("report.deadline"): fmt_date(s.deadline)}
                      for r, m, s in overdue], hide_index=True, width="stretch")
    renewal_table(board)
    _assignment_form(user, board)


def _assignment_form(user: User, board: Dashboard) -> None:
    """Only the target fields the chosen scope uses: none for the whole municipality, an area, or a unit.

    The scope is chosen outside the form, since widgets inside a form do not rerun the page.
    """
    service = assignments_service()
    st.subheader(t("assign.new"))
    targets = ["all", "area", "unit"] if not board.service_area else ["area", "unit"]
    target = st.radio(t("assign.target"), targets, format_func=lambda k: t(f"assign.target_{k}_choice"),
                      horizontal=True, key="assign-target")
    with st.form("assign"):
        module = st.selectbox(t("report.col_module"), list(board.module_titles),
                              format_func=lambda m: board.module_titles[m])
        area = unit = None
        if target == "area":
            area_options = [board.service_area] if board.service_area else \
                [a for a in ServiceArea if a != ServiceArea.ALLE]
            area = st.selectbox(t("report.col_area"), area_options, format_func=area_label)
        elif target == "unit":
            units = sorted({key for cells in board.by_unit.values() for key, cell in cells.items()
                            if cell.staff and key != "–"})
            unit = st.selectbox(t("report.col_unit"), units or [""])
        deadline = st.date_input(t("assign.deadline"), value=service.today() + timedelta(days=30),
                                 min_value=service.today(), format="DD.MM.YYYY")
        renew = st.number_input(t("assign.renew"), min_value=0, max_value=60, value=0, help=t("assign.renew_help"))
        window, after = renewal_days_fields()
        if st.form_submit_button(t("assign.create"), type="primary"):
            created = run_action(lambda: service.create(
                user, municipality=board.municipality, module_id=module, deadline=deadline,
                service_area=area if target == "area" else board.service_area,
                unit=unit if target == "unit" else None, renew_months=int(renew) or None,
                renew_window_days=window, renew_deadline_days=after))
            if created:
                st.success(t("assign.created", deadline=fmt_date(created.deadline)))
                st.rerun()


def insight(user: User, municipality: str) -> None:
    result = _session_cached("insight_cache", _scope(user, municipality),
                             lambda: ReportService(repository(), content()).quiz_insight(user, municipality))
    if result:
        insight_view(result)


def _logged_download(user: User, board: Dashboard, label: str, build, file_name: str, *args, **kwargs) -> None:
    """A download button whose file, when built, is recorded in the audit log (who exported what)."""
    logged = audited_export(repository(), user, build, file_name=file_name, municipality=board.municipality,
                            format=file_name.rsplit(".", 1)[-1], rows=len(board.rows))
    st.download_button(label, logged, file_name, *args, **kwargs)


def export(user: User, board: Dashboard) -> None:
    """Download buttons; each file is built only when its button is pressed.

    Every tab renders on every rerun, and at 20 000 staff the files took ~5.5 s to build.
    """
    st.write(t("export.intro"))
    stem = f"mittliv-{board.municipality}"
    csv_files = [("export.staff_csv", "ansatte", exports.staff_table),
                 ("export.area_csv", "moduler-tjenesteomrader", exports.area_matrix),
                 ("export.unit_csv", "moduler-enheter", exports.unit_matrix)]
    for label, name, table in csv_files:
        _logged_download(user, board, t(label), lambda table=table: exports.to_csv(table(board)),
                         f"{stem}-{name}.csv", "text/csv", on_click="ignore", icon=":material/download:")
    sessions = TeamSessionService(repository(), content())
    _logged_download(user, board, t("sessions.export_csv"), lambda: exports.to_csv(sessions.sessions_table(
        user, board.municipality, board.module_titles)), f"{stem}-samlinger.csv", "text/csv", on_click="ignore",
        icon=":material/download:")
    _logged_download(user, board, t("export.xlsx"), lambda: exports.to_xlsx(exports.report_tables(board) + [
        sessions.sessions_table(user, board.municipality, board.module_titles)]),
                     f"{stem}-rapport.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     on_click="ignore", icon=":material/table_view:", type="primary")
