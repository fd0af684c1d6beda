"""The dashboard's views; each reads only what it shows (the page runs the chosen one only)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import timedelta

import pandas as pd
import streamlit as st

from learning.content.models import ServiceArea
from learning.formatting import fmt_date, plain, unique_labels
from learning.i18n import t
from learning.records import Role, User
from learning.services import exports
from learning.services.assignments import Duty
from learning.services.audit import audited_export
from learning.services.reports import COMPLETED, Dashboard, ReportService, StaffRow
from learning.services.team_sessions import TeamSessionService
from learning.storage.read_models import StaffSort
from learning.ui.charts import show_heat_map, show_trend
from learning.ui.components import area_label, run_action
from learning.ui.context import assignments_service, content, repository
from learning.ui.headline import show_headline
from learning.ui.insight import insight_view
from learning.ui.list_view import table_or_cards
from learning.ui.pages.renewals import renewal_days_fields, renewal_table
from learning.ui.pages.team_sessions import person_sessions
from learning.ui.rerun_cache import session_action, shared_action

STATUSES = ["not_started", "in_progress", "completed"]




def _scope(user: User, municipality: str) -> tuple:
    return (user.id, user.role, user.manager_area, municipality)


def reports() -> ReportService:
    return ReportService(repository(), content())


def _shared(name: str, user: User, municipality: str, compute: Callable[[], object], what: Hashable = None):
    """A view's figures for the scope the service grants this user (and ``what`` of it: filters, a page),
    shared by every session of that role and scope in the process (``rerun_cache.shared_action``);
    today is part of the key, since duties and the trend move with the date."""
    service = reports()
    granted = run_action(lambda: service.checked_scope(user, municipality))
    if granted is None:
        return None
    return shared_action(name, user.role, (granted, service.today(), what), compute)


def dashboard(user: User, municipality: str) -> Dashboard | None:
    return _shared("dashboard", user, municipality, lambda: reports().dashboard(user, municipality))


def staff_options(user: User, municipality: str) -> tuple[list[ServiceArea], list[str]] | None:
    """The scope's service areas and units, for the filters (one small grouped read)."""
    return _shared("staff_options", user, municipality, lambda: reports().staff_options(user, municipality))


def module_titles() -> dict[str, str]:
    return unique_labels({m.id: m.meta.title for m in content().modules.values()})


def overview(board: Dashboard, extra=None) -> None:
    show_headline(board, extra)
    st.header(t("manager.matrix_area"))
    _matrix(board, board.by_area, lambda key: area_label(None if key == "none" else ServiceArea(key)),
            t("report.col_area"))
    st.header(t("manager.matrix_unit"))
    _matrix(board, board.by_unit, str, t("report.col_unit"))
    st.header(t("manager.trend"))
    show_trend(board.trend)


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
    show_heat_map(frame, column_title, key=column_title, description=t("manager.heat_alt", rows=column_title))
    with st.container(key=f"lm-wide-table-{column_title}"), st.expander(t("manager.as_table")):  # phone: the list
        table = frame.pivot(index="key", columns="module_id", values="label").fillna("")
        table = table.reindex(columns=[m for m in board.module_titles if m in table.columns])
        table = table.rename(columns=board.module_titles, index=dict(zip(frame["key"], frame["row"], strict=True)))
        table.index.name, table.columns.name = column_title, t("report.col_module")
        st.dataframe(table, width="stretch")


def person_choices(rows: Sequence[StaffRow]) -> tuple[list[str | None], Callable[[str | None], str]]:
    """The drill-down's options (this page's people) and their labels, from one pass over the rows.

    A label looked up by scanning the rows for each option made a 20 000-row page quadratic.
    """
    labels = {row.user_id: f"{row.name} – {row.unit}" for row in rows}
    return [None, *labels], lambda uid: labels.get(uid, t("manager.nobody")) if uid else t("manager.nobody")


def staff(user: User, municipality: str) -> None:
    options = staff_options(user, municipality)
    if options is None:
        return
    area_options, unit_options = options
    titles = module_titles()
    left, right = st.columns(2)
    search = left.text_input(t("manager.search"), placeholder=t("manager.search_hint"))
    areas = right.multiselect(t("report.col_area"), area_options, format_func=area_label)
    left, mid, right = st.columns(3)
    units = left.multiselect(t("report.col_unit"), unit_options)
    module = mid.selectbox(t("report.col_module"), [None, *titles],
                           format_func=lambda m: titles[m] if m else t("manager.all_modules"))
    status = right.selectbox(t("manager.status"), [None, *STATUSES, "overdue"], disabled=module is None,
                             format_func=lambda s: t(f"status.{s}") if s in STATUSES else
                             (t("duty.overdue") if s else t("manager.any_status")))
    left, right = st.columns([3, 1])
    sort = left.selectbox(t("staffpage.sort"), list(StaffSort), format_func=lambda s: t(f"staffpage.sort_{s.value}"))
    filters = (search.strip(), tuple(areas), tuple(units), module, status if module else None, sort)
    number = right.number_input(t("staffpage.page"), min_value=1, value=1, step=1,
                                key=f"staff_page_{hash(filters)}")  # a new search starts at page 1
    def compute():
        return reports().staff_page(user, municipality, search=filters[0], areas=areas, units=units,
                                    module_id=module, status=filters[4], sort=sort, page=int(number) - 1)

    if filters[0]:  # a name searched for: this session's own (the shared entries are few)
        page = session_action("staff_page_cache", (*_scope(user, municipality), filters, number), compute)
    else:  # filters and sort only: the first pages every leader of the scope opens
        page = _shared("staff_page", user, municipality, compute, (filters, number))
    if page is None:
        return
    first = page.page * page.size
    if page.rows:
        pages = f" {t('staffpage.pages', pages=page.pages)}" if page.pages > 1 else ""
        st.caption(t("staffpage.showing", first=first + 1, last=first + len(page.rows), total=page.total) + pages)
    else:
        st.info(t("staffpage.none") if page.total == 0 else t("staffpage.past_end", pages=page.pages))
    table = [{t("report.col_name"): r.name, t("report.col_unit"): r.unit,
              t("report.col_area"): area_label(r.service_area), t("report.col_completed"): r.count(COMPLETED),
              t("report.col_in_progress"): r.count("in_progress"), t("report.col_overdue"): r.overdue,
              t("report.col_last_active"): r.last_activity} for r in page.rows]
    if module is not None:
        for line, r in zip(table, page.rows, strict=True):
            line[titles[module]] = t(f"status.{r.modules[module].status}")
    table_or_cards(table, key="staff", hide_index=True, width="stretch",
                   column_config={t("report.col_last_active"): st.column_config.DatetimeColumn(format="DD.MM.YYYY")})
    st.header(t("manager.person"))
    choices, label_of = person_choices(page.rows)
    chosen = st.selectbox(t("manager.choose_person"), choices, format_func=label_of, help=t("staffpage.choose_help"))
    if chosen:
        found = session_action("person_cache", (*_scope(user, municipality), chosen),  # a view is logged
                                lambda: reports().person(user, municipality, chosen))
        if found is None:
            return
        _, person = found
        table_or_cards([{t("report.col_module"): titles[m], t("manager.status"): t(f"status.{s.status}"),
                         t("manager.started_on"): fmt_date(s.started_at),
                         t("manager.completed_on"): fmt_date(s.completed_at),
                         t("manager.best_score"): "" if s.best_percent is None else f"{s.best_percent} %",
                         t("manager.attempts"): s.attempts,
                         t("manager.required"): (f"{t(f'duty.{s.duty.value}')} – {t('report.deadline')} "
                                                 f"{fmt_date(s.deadline)}") if s.duty else ""}
                        for m, s in person.modules.items()], key="person", hide_index=True, width="stretch")
        person_sessions(user, municipality, titles, chosen)


def _renewals(user: User, municipality: str, items) -> list[StaffRow]:
    """Staff whose mandatory completion expires soon or has expired: read only when an assignment renews."""
    if not any(item.renew_months for item in items):
        return []
    return _shared("renewals", user, municipality, lambda: [
        r for r in reports().staff_rows(user, municipality)
        if any(s.duty in (Duty.EXPIRING, Duty.RENEW) for s in r.modules.values())]) or []


def assignments(user: User, municipality: str) -> None:
    service = assignments_service()
    titles = module_titles()
    items = run_action(lambda: service.list(user, municipality)) or []
    st.header(t("assign.title"))
    if not items:
        st.info(t("assign.none"))
    for item in items:
        target = (t("assign.target_unit", unit=item.unit) if item.unit else
                  area_label(item.service_area) if item.service_area else t("assign.target_all"))
        renew = t("assign.renew_every", months=item.renew_months) if item.renew_months else ""
        left, right = st.columns([5, 1])
        left.markdown(t("assign.line", module=plain(titles.get(item.module_id, item.module_id)),
                        target=plain(target), deadline=fmt_date(item.deadline), renew=renew))
        if right.button(t("assign.delete"), key=f"del-{item.id}"):
            run_action(lambda item=item: service.delete(user, item.id))
            st.rerun()
    late = _shared("overdue", user, municipality, lambda: reports().staff_page(user, municipality, status="overdue"))
    if late is None:
        return
    st.header(t("assign.overdue_title", count=late.total))
    overdue = [(r, m, s) for r in late.rows for m, s in r.modules.items() if s.duty and s.duty.value == "overdue"]
    if overdue:
        if late.total > len(late.rows):
            st.caption(t("staffpage.overdue_first", shown=len(late.rows), total=late.total))
        table_or_cards([{t("report.col_name"): r.name, t("report.col_unit"): r.unit,
                         t("report.col_module"): titles[m], t("report.deadline"): fmt_date(s.deadline)}
                        for r, m, s in overdue], key="overdue", hide_index=True, width="stretch")
    renewal_table(_renewals(user, municipality, items), titles)
    _assignment_form(user, municipality, titles)


def _assignment_form(user: User, municipality: str, titles: dict[str, str]) -> None:
    """Only the target fields the chosen scope uses: none for the whole municipality, an area, or a unit.

    The scope is chosen outside the form, since widgets inside a form do not rerun the page.
    """
    service = assignments_service()
    limited = user.manager_area if user.role == Role.MANAGER else None
    st.header(t("assign.new"))
    targets = ["all", "area", "unit"] if not limited else ["area", "unit"]
    target = st.radio(t("assign.target"), targets, format_func=lambda k: t(f"assign.target_{k}_choice"),
                      horizontal=True, key="assign-target")
    with st.form("assign"):
        module = st.selectbox(t("report.col_module"), list(titles), format_func=lambda m: titles[m])
        area = unit = None
        if target == "area":
            area_options = [limited] if limited else [a for a in ServiceArea if a != ServiceArea.ALLE]
            area = st.selectbox(t("report.col_area"), area_options, format_func=area_label)
        elif target == "unit":
            options = staff_options(user, municipality)
            unit = st.selectbox(t("report.col_unit"), (options[1] if options else []) or [""])
        deadline = st.date_input(t("assign.deadline"), value=service.today() + timedelta(days=30),
                                 min_value=service.today(), format="DD.MM.YYYY")
        renew = st.number_input(t("assign.renew"), min_value=0, max_value=60, value=0, help=t("assign.renew_help"))
        window, after = renewal_days_fields()
        if st.form_submit_button(t("assign.create"), type="primary"):
            created = run_action(lambda: service.create(
                user, municipality=municipality, module_id=module, deadline=deadline,
                service_area=area if target == "area" else limited,
                unit=unit if target == "unit" else None, renew_months=int(renew) or None,
                renew_window_days=window, renew_deadline_days=after))
            if created:
                st.success(t("assign.created", deadline=fmt_date(created.deadline)))
                st.rerun()


def insight(user: User, municipality: str) -> None:
    result = _shared("insight", user, municipality, lambda: reports().quiz_insight(user, municipality))
    if result:
        insight_view(result, level=2)  # right under the page title


def _logged_download(user: User, board: Dashboard, label: str, build, file_name: str, *args, **kwargs) -> None:
    """A download button whose file, when built, is recorded in the audit log (who exported what)."""
    logged = audited_export(repository(), user, build, file_name=file_name, municipality=board.municipality,
                            format=file_name.rsplit(".", 1)[-1], rows=board.headline.staff)
    st.download_button(label, logged, file_name, *args, **kwargs)


def export(user: User, board: Dashboard) -> None:
    """Download buttons; each file is built only when its button is pressed.

    The staff rows are read then, a batch at a time; at 20 000 staff the files took ~5.5 s to build.
    """
    st.write(t("export.intro"))
    stem = f"mittliv-{board.municipality}"

    def staff_csv() -> bytes:
        return exports.to_csv(exports.staff_table(board, reports().staff_rows(user, board.municipality)))

    def full_xlsx() -> bytes:
        return exports.to_xlsx(exports.report_tables(board, reports().staff_rows(user, board.municipality))
                               + [sessions.sessions_table(user, board.municipality, board.module_titles)])

    sessions = TeamSessionService(repository(), content())
    csv_files = [("export.staff_csv", "ansatte", staff_csv),
                 ("export.area_csv", "moduler-tjenesteomrader", lambda: exports.to_csv(exports.area_matrix(board))),
                 ("export.unit_csv", "moduler-enheter", lambda: exports.to_csv(exports.unit_matrix(board))),
                 ("sessions.export_csv", "samlinger", lambda: exports.to_csv(sessions.sessions_table(
                     user, board.municipality, board.module_titles)))]
    for label, name, build in csv_files:
        _logged_download(user, board, t(label), build, f"{stem}-{name}.csv", "text/csv", on_click="ignore",
                         icon=":material/download:")
    _logged_download(user, board, t("export.xlsx"), full_xlsx,
                     f"{stem}-rapport.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     on_click="ignore", icon=":material/table_view:", type="primary")
