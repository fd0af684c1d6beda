"""The network view: completion per municipality and module, never a person."""

from __future__ import annotations

import streamlit as st

from learning.formatting import unique_labels
from learning.i18n import t
from learning.municipalities import label
from learning.records import Role
from learning.services.authz import LEADER_ROLES
from learning.services.privacy import display
from learning.services.reports import ReportService
from learning.ui.components import run_action, unreadable_note
from learning.ui.context import content, repository
from learning.ui.insight import insight_view
from learning.ui.session import require


def render() -> None:
    user = require(Role.COORDINATOR, *LEADER_ROLES)
    st.title(t("network.title"))
    st.write(t("network.intro"))
    st.caption(t("privacy.legend"))
    service = ReportService(repository(), content())
    view = run_action(lambda: service.network(user))
    if view is None:
        return
    unreadable_note(view.unreadable)
    titles = unique_labels({m.id: m.meta.title for m in content().modules.values()})  # columns by id
    rows = []
    for number, staff, cells, row_total in zip(view.municipalities, view.staff, view.grid, view.row_totals,
                                               strict=True):
        line = {t("network.municipality"): label(number), t("network.staff"): display(staff, as_rate=False),
                t("network.all_modules"): display(row_total)}
        line.update({titles[m]: display(cell) for m, cell in zip(view.modules, cells, strict=True)})
        rows.append(line)
    network_line = {t("network.municipality"): t("network.whole_network"), t("network.staff"): "",
                    t("network.all_modules"): ""}
    network_line.update({titles[m]: display(cell) for m, cell in zip(view.modules, view.column_totals, strict=True)})
    rows.append(network_line)
    st.dataframe(rows, hide_index=True, width="stretch")
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        st.subheader(t("network.insight_title"))
        result = run_action(lambda: service.quiz_insight(user, None))
        if result:
            insight_view(result)
