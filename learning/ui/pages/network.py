"""The network view: completion per municipality and module, never a person."""

from __future__ import annotations

import streamlit as st

from learning.formatting import plain, unique_labels
from learning.i18n import t
from learning.municipalities import label
from learning.records import Role
from learning.services.authz import LEADER_ROLES
from learning.services.privacy import display, total
from learning.services.reports import ReportService
from learning.ui.components import unreadable_note
from learning.ui.context import content, repository
from learning.ui.insight import insight_view
from learning.ui.list_view import table_or_cards
from learning.ui.rerun_cache import shared_action
from learning.ui.session import require

TABLE_STYLE = """
<style>
.st-key-network-table table{font-size:0.85rem;}
.st-key-network-table th, .st-key-network-table td{padding:0.3rem 0.45rem !important;}
.st-key-network-table tbody tr:last-child td{font-weight:600;border-top:2px solid #4a4d57;}
</style>
"""
"""Nine municipalities and eight modules fit a laptop screen; the whole network's line stands out."""


def render() -> None:
    user = require(Role.COORDINATOR, *LEADER_ROLES)
    st.title(t("network.title"))
    st.write(t("network.intro"))
    st.caption(t("privacy.legend"))
    service = ReportService(repository(), content())
    # The same figures for every user of a role (no person, no unit): shared by the process's sessions of
    # that role until anything is written; this page's role check above let the user in.
    view = shared_action("network", user.role, None, lambda: service.network(user))
    if view is None:
        return
    unreadable_note(view.unreadable)
    modules = content().modules
    short = unique_labels({m: modules[m].meta.label if m in modules else m for m in view.modules})  # by id
    rows = []
    for number, staff, cells, row_total in zip(view.municipalities, view.staff, view.grid, view.row_totals,
                                               strict=True):
        line = {t("network.municipality"): label(number), t("network.staff"): display(staff, as_rate=False),
                t("network.all_modules"): display(row_total)}
        line.update({short[m]: display(cell) for m, cell in zip(view.modules, cells, strict=True)})
        rows.append(line)
    # The whole network: every total under the same rule as the others (shown only when all its parts are)
    staff_total, grand_total = total(view.staff), total(view.row_totals)
    network_line = {t("network.municipality"): t("network.whole_network"),
                    t("network.staff"): display(staff_total, as_rate=False),
                    t("network.all_modules"): display(grand_total)}
    network_line.update({short[m]: display(cell) for m, cell in zip(view.modules, view.column_totals, strict=True)})
    rows.append(network_line)
    st.html(TABLE_STYLE)
    table_or_cards(rows, key="network", table=lambda: _table(rows, {short[m]: plain(short[m]) for m in view.modules}))
    hidden = [name for name, cell in ((t("network.staff"), staff_total), (t("network.all_modules"), grand_total),
                                      *zip((plain(short[m]) for m in view.modules), view.column_totals, strict=True))
              if not cell.shown]
    if hidden:
        st.caption(t("council_network.hidden_totals", columns=", ".join(hidden)))
    with st.expander(t("council_network.legend")):
        for m in view.modules:
            title = modules[m].meta.title if m in modules else m
            st.markdown(t("council_network.legend_line", short=plain(short[m]), title=plain(title)))
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        st.header(t("network.insight_title"))
        result = shared_action("network_insight", user.role, None, lambda: service.quiz_insight(user, None))
        if result:
            insight_view(result)


def _table(rows: list[dict[str, str]], headers: dict[str, str]) -> None:
    """Every column in view, long headers wrapped instead of cut; st.table's headers are Markdown."""
    with st.container(key="network-table"):
        st.table([{headers.get(name, name): value for name, value in row.items()} for row in rows], hide_index=True)
