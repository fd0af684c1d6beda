"""Min læring: my modules, their status and completion dates."""

from __future__ import annotations

import streamlit as st

from learning.formatting import fmt_date
from learning.i18n import t
from learning.services.learning import Status
from learning.ui.context import learning
from learning.ui.session import require


def render() -> None:
    user = require()
    st.title(t("mine.title"))
    entries = [e for e in learning().catalog(user) if e.status != Status.NOT_STARTED]
    if not entries:
        st.info(t("mine.empty"))
        return
    done = sum(1 for e in entries if e.status == Status.COMPLETED)
    st.write(t("mine.summary", done=done, started=len(entries)))
    rows = [
        {
            t("mine.col_module"): e.module.meta.title,
            t("mine.col_status"): t(f"status.{e.status.value}"),
            t("mine.col_percent"): e.percent,
            t("mine.col_completed"): fmt_date(e.progress.completed_at),
            t("mine.col_version"): e.progress.completed_version or "",
            t("mine.col_best"): "" if e.progress.best_percent is None else f"{e.progress.best_percent} %",
        }
        for e in entries  # started modules always have progress
    ]
    st.dataframe(rows, hide_index=True, width="stretch",
                 column_config={t("mine.col_percent"): st.column_config.ProgressColumn(
                     t("mine.col_percent"), format="%d %%", min_value=0, max_value=100)})
