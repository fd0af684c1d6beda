"""Catalog: all modules, the learner's own service area first, with progress."""

from __future__ import annotations

import streamlit as st

from learning.catalog_filter import AREAS, Filters, StatusFilter, keeps, split_leaders
from learning.content.models import ServiceArea
from learning.i18n import t
from learning.records import Role
from learning.services.assignments import Duty, Requirement, asks_retake
from learning.services.authz import LEADER_ROLES
from learning.services.learning import CatalogEntry, Status
from learning.ui.catalog_cards import card_html
from learning.ui.components import area_label
from learning.ui.context import learning
from learning.ui.learner_data import my_modules
from learning.ui.pages import go
from learning.ui.session import current_user, require

BUTTON_KEY = {Status.NOT_STARTED: "catalog.start", Status.IN_PROGRESS: "catalog.resume",
              Status.COMPLETED: "catalog.open"}


def _card(entry: CatalogEntry, requirement: Requirement | None = None) -> None:
    """The card's text as one block (``ui.catalog_cards``), and its button."""
    meta = entry.module.meta
    with st.container(border=True, key=f"catalog-card-{meta.id}"):
        st.html(card_html(entry, requirement))
        retake = requirement is not None and entry.progress is not None and not entry.progress.retaking \
            and asks_retake(requirement.duty, entry.progress.completed_at)
        if retake:
            if st.button(t("catalog.take_again"), key=f"again-{meta.id}", type="primary"):
                learning().restart_module(current_user(), meta.id)
                go("module", modul=meta.id)
        elif st.button(t(BUTTON_KEY[entry.status]), key=f"open-{meta.id}",
                       type="primary" if entry.status == Status.IN_PROGRESS else "secondary"):
            go("module", modul=meta.id)


STATUS_LABEL = {"": "council_catalog.status_any", **{s.value: f"council_catalog.status_{s.name.lower()}"
                                                    for s in StatusFilter}}
KEYS = {"area": "catalog-area", "status": "catalog-status", "search": "catalog-search"}
def _filters() -> Filters:
    """The filter widgets, started from the address and written back to it (a reload keeps them).

    "" stands for "all" in the widgets: a selectbox showing None shows Streamlit's own placeholder.
    The option labels are looked up once per run, in the run's language (``t()`` called later,
    from outside the run, would answer in the default language).
    """
    if not any(key in st.session_state for key in KEYS.values()):
        start = Filters.from_query(st.query_params.to_dict())
        st.session_state[KEYS["area"]] = start.area.value if start.area else ""
        st.session_state[KEYS["status"]] = start.status.value if start.status else ""
        st.session_state[KEYS["search"]] = start.search
    left, middle, right = st.columns([1, 1, 1.3])
    area_names = {"": t("council_catalog.area_any"), **{a.value: area_label(a) for a in AREAS}}
    status_names = {value: t(key) for value, key in STATUS_LABEL.items()}
    area = left.selectbox(t("council_catalog.area"), list(area_names), key=KEYS["area"],
                          format_func=area_names.__getitem__)
    status = middle.selectbox(t("council_catalog.status"), list(status_names), key=KEYS["status"],
                              format_func=status_names.__getitem__)
    search = right.text_input(t("council_catalog.search"), key=KEYS["search"], max_chars=100,
                              placeholder=t("council_catalog.search_hint"))
    chosen = Filters(ServiceArea(area) if area else None, StatusFilter(status) if status else None, search)
    wanted = chosen.to_query()
    for name in ("omrade", "status", "sok"):
        if name in wanted and st.query_params.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]
        elif name not in wanted and name in st.query_params:
            del st.query_params[name]
    return chosen


def _section(header: str, entries: list[CatalogEntry], required: dict[str, Requirement]) -> None:
    if entries:
        st.header(header)
        for entry in entries:
            _card(entry, required.get(entry.module.id))


def render() -> None:
    user = require()
    st.title(t("catalog.title"))
    if st.session_state.pop("password_changed", False):
        st.success(t("temporary.changed"))
    entries, required = my_modules(user)
    filters = _filters() if entries else Filters()
    shown = [e for e in entries if keeps(e, filters, required)]
    if filters.active:
        st.caption(t("council_catalog.showing", shown=len(shown), total=len(entries)))
        if not shown:
            st.info(t("council_catalog.none_match"), icon=":material/filter_alt_off:")
    open_required = [e for e in shown if e.module.id in required and required[e.module.id].duty != Duty.DONE]
    if open_required:
        st.header(t("catalog.required_header"))
        for entry in sorted(open_required, key=lambda e: required[e.module.id].deadline):
            _card(entry, required[entry.module.id])
    leaders, rest = split_leaders([e for e in shown if e not in open_required])
    is_leader = user.role in LEADER_ROLES
    if is_leader:  # modules for leaders first to leaders, after everything else to the others
        _section(t("council_catalog.for_leaders_header"), leaders, required)
    mine = [e for e in rest if e.for_my_area]
    others = [e for e in rest if not e.for_my_area]
    _section(t("catalog.for_you", area=area_label(user.service_area)), mine, required)
    _section(t("catalog.others") if mine else t("catalog.all"), others, required)
    if not is_leader:
        _section(t("council_catalog.for_leaders_header"), leaders, required)
    if not entries:
        st.info(t("catalog.empty"))
    problems = learning().content.problems
    if problems and user.role in (Role.ADMIN, Role.AUTHOR):
        with st.expander(t("catalog.content_problems", count=len(problems)), icon=":material/warning:"):
            st.code("\n".join(str(p) for p in problems), language=None)
