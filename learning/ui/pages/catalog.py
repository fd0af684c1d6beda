"""Catalog: all modules, the learner's own service area first, with progress."""

from __future__ import annotations

import streamlit as st

from learning.formatting import fmt_date, plain
from learning.i18n import t
from learning.records import Role
from learning.services.assignments import Duty, Requirement
from learning.services.learning import CatalogEntry, Status
from learning.ui.components import area_label
from learning.ui.context import assignments_service, learning
from learning.ui.pages import go
from learning.ui.session import current_user, require

BUTTON_KEY = {Status.NOT_STARTED: "catalog.start", Status.IN_PROGRESS: "catalog.resume",
              Status.COMPLETED: "catalog.open"}


def _card(entry: CatalogEntry, requirement: Requirement | None = None) -> None:
    meta = entry.module.meta
    with st.container(border=True):
        st.subheader(plain(meta.title))
        if requirement is not None:
            _requirement_line(requirement)
        st.markdown(plain(meta.description))
        areas = ", ".join(area_label(a) for a in meta.service_areas)
        st.caption(t("catalog.meta", areas=areas, minutes=meta.minutes))
        st.progress(entry.percent / 100,
                    text=t(f"status.{entry.status.value}") + " · " + t("catalog.percent", percent=entry.percent))
        if requirement is not None and requirement.duty == Duty.RENEW:
            if st.button(t("catalog.take_again"), key=f"again-{meta.id}", type="primary"):
                learning().restart_module(current_user(), meta.id)
                go("module", modul=meta.id)
        elif st.button(t(BUTTON_KEY[entry.status]), key=f"open-{meta.id}",
                       type="primary" if entry.status == Status.IN_PROGRESS else "secondary"):
            go("module", modul=meta.id)


def _requirement_line(requirement: Requirement) -> None:
    deadline = fmt_date(requirement.assignment.deadline)
    if requirement.duty == Duty.DONE:
        st.markdown(t("catalog.required_done", deadline=deadline))
    elif requirement.duty == Duty.OVERDUE:
        st.error(t("catalog.required_overdue", deadline=deadline), icon=":material/schedule:")
    elif requirement.duty == Duty.RENEW:
        st.warning(t("catalog.required_renew", deadline=deadline), icon=":material/autorenew:")
    else:
        st.warning(t("catalog.required", deadline=deadline), icon=":material/priority_high:")


def render() -> None:
    user = require()
    st.title(t("catalog.title"))
    if st.session_state.pop("password_changed", False):
        st.success(t("temporary.changed"))
    entries = learning().catalog(user)
    required = assignments_service().mine(user)
    open_required = [e for e in entries if e.module.id in required and required[e.module.id].duty != Duty.DONE]
    if open_required:
        st.header(t("catalog.required_header"))
        for entry in sorted(open_required, key=lambda e: required[e.module.id].assignment.deadline):
            _card(entry, required[entry.module.id])
    rest = [e for e in entries if e not in open_required]
    mine = [e for e in rest if e.for_my_area]
    others = [e for e in rest if not e.for_my_area]
    if mine:
        st.header(t("catalog.for_you", area=area_label(user.service_area)))
        for entry in mine:
            _card(entry, required.get(entry.module.id))
    if others:
        st.header(t("catalog.others") if mine else t("catalog.all"))
        for entry in others:
            _card(entry, required.get(entry.module.id))
    if not entries:
        st.info(t("catalog.empty"))
    problems = learning().content.problems
    if problems and user.role in (Role.ADMIN, Role.AUTHOR):
        with st.expander(t("catalog.content_problems", count=len(problems)), icon=":material/warning:"):
            st.code("\n".join(str(p) for p in problems), language=None)
