"""The manager's list of completions that expire soon or have expired (renewal of mandatory modules)."""

from __future__ import annotations

import streamlit as st

from learning.formatting import fmt_date
from learning.i18n import t
from learning.services.assignments import Duty
from learning.services.reports import Dashboard

SHOWN = (Duty.EXPIRING, Duty.RENEW)


def renewal_table(board: Dashboard) -> None:
    """Who must renew what, by when: "utløper snart" (still counts) and "utløpt" (a new duty)."""
    st.subheader(t("renewal.section"))
    rows = [(r, m, s) for r in board.rows for m, s in r.modules.items() if s.duty in SHOWN]
    if not rows:
        st.caption(t("renewal.none"))
        return
    rows.sort(key=lambda item: (item[2].deadline, item[0].name))
    st.dataframe([{t("report.col_name"): r.name, t("report.col_unit"): r.unit,
                   t("report.col_module"): board.module_titles[m],
                   t("renewal.col_state"): t(f"duty.{s.duty.value}"),
                   t("report.deadline"): fmt_date(s.deadline)} for r, m, s in rows],
                 hide_index=True, width="stretch")
