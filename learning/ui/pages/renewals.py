"""The manager's list of completions that expire soon or have expired (renewal of mandatory modules)."""

from __future__ import annotations

import streamlit as st

from learning.formatting import fmt_date
from learning.i18n import t
from learning.services.assignments import DEFAULT_RENEW_DEADLINE_DAYS, DEFAULT_RENEW_WINDOW_DAYS, Duty
from learning.services.reports import StaffRow
from learning.ui.list_view import table_or_cards

SHOWN = (Duty.EXPIRING, Duty.RENEW)


def renewal_table(staff: list[StaffRow], titles: dict[str, str]) -> None:
    """Who must renew what, by when: "utløper snart" (still counts) and "utløpt" (a new duty)."""
    st.subheader(t("renewal.section"))
    rows = [(r, m, s) for r in staff for m, s in r.modules.items() if s.duty in SHOWN]
    if not rows:
        st.caption(t("renewal.none"))
        return
    rows.sort(key=lambda item: (item[2].deadline, item[0].name))
    table_or_cards([{t("report.col_name"): r.name, t("report.col_unit"): r.unit,
                     t("report.col_module"): titles.get(m, m),
                     t("renewal.col_state"): t(f"duty.{s.duty.value}"),
                     t("report.deadline"): fmt_date(s.deadline)} for r, m, s in rows],
                   key="renewals", hide_index=True, width="stretch")


def renewal_days_fields() -> tuple[int, int]:
    """Inside the assignment form: when to ask for a retake, and how long after expiry it is due."""
    left, right = st.columns(2)
    window = left.number_input(t("renewal.window_days"), min_value=0, max_value=365,
                               value=DEFAULT_RENEW_WINDOW_DAYS, help=t("renewal.window_help"))
    after = right.number_input(t("renewal.deadline_days"), min_value=1, max_value=365,
                               value=DEFAULT_RENEW_DEADLINE_DAYS, help=t("renewal.deadline_help"))
    return int(window), int(after)
