"""Logg: the audit log for admins (everything) and municipal admins (their own municipality)."""

from __future__ import annotations

import streamlit as st

from learning.formatting import local
from learning.i18n import t
from learning.municipalities import label
from learning.records import AuditAction, AuditEntry, Role
from learning.services.audit import SYSTEM, AuditFilter, AuditService, retention_days
from learning.services.authz import USER_ADMIN_ROLES
from learning.ui.components import run_action
from learning.ui.context import repository
from learning.ui.interop import xapi_download
from learning.ui.list_view import table_or_cards
from learning.ui.session import require


def action_label(action: AuditAction | str) -> str:
    return t(f"audit.action.{AuditAction(action).value}")


def _who(user_id: str, names: dict[str, str]) -> str:
    if user_id in names:
        return names[user_id]
    if user_id == SYSTEM:
        return t("audit.system")
    return user_id or t("audit.unknown_actor")


def headers() -> list[str]:
    return [t("audit.col_time"), t("audit.col_actor"), t("audit.col_actor_id"), t("audit.col_action"),
            t("audit.col_action_code"), t("audit.col_target"), t("audit.col_target_id"),
            t("audit.col_municipality"), t("audit.col_details")]


def describe(entry: AuditEntry, names: dict[str, str]) -> list[str]:
    """One entry as the table's and the CSV file's cells (Norwegian time, names where known)."""
    details = "; ".join(f"{key}={value}" for key, value in entry.details.items() if value not in (None, ""))
    return [f"{local(entry.at):%Y-%m-%d %H:%M:%S}", _who(entry.actor, names), entry.actor,
            action_label(entry.action), entry.action.value, names.get(entry.target, entry.target), entry.target,
            label(entry.municipality) if entry.municipality else t("audit.network"), details]


def render() -> None:
    user = require(*USER_ADMIN_ROLES)
    st.title(t("audit.title"))
    st.write(t("audit.intro_admin") if user.role == Role.ADMIN else
             t("audit.intro_municipal", municipality=label(user.municipality)))
    st.caption(t("audit.retention", days=retention_days()))
    if user.role == Role.ADMIN:
        xapi_download(user)
    service = AuditService(repository())
    everything = run_action(lambda: service.entries(user))
    if everything is None:
        return
    names = service.names(user, everything)
    left, right = st.columns(2)
    actions = left.multiselect(t("audit.filter_actions"), list(AuditAction), format_func=action_label,
                               key="audit-actions")
    actors = sorted({e.actor for e in everything}, key=lambda a: _who(a, names).casefold())
    actor = right.selectbox(t("audit.filter_actor"), [None, *actors], key="audit-actor",
                            format_func=lambda a: t("audit.anyone") if a is None else _who(a, names))
    left, right = st.columns(2)
    since = left.date_input(t("audit.filter_from"), value=None, format="DD.MM.YYYY", key="audit-from")
    until = right.date_input(t("audit.filter_to"), value=None, format="DD.MM.YYYY", key="audit-to")
    wanted = AuditFilter(frozenset(actions), actor, since, until)
    shown = [e for e in everything if wanted.matches(e)]
    st.caption(t("audit.count", count=len(shown)))
    if not shown:
        st.info(t("audit.none"))
        return
    columns = headers()
    table_or_cards([dict(zip(columns, describe(e, names), strict=True)) for e in shown], key="audit", hide_index=True,
               width="stretch")
    stem = "logg" if user.role == Role.ADMIN else f"logg-{user.municipality}"
    file_name = f"mittliv-{stem}-{local(service.clock()):%Y%m%d}.csv"
    st.download_button(t("audit.export"),
                       lambda: service.export_csv(user, wanted, lambda e: describe(e, names), columns, file_name),
                       file_name, "text/csv", on_click="ignore", icon=":material/download:")
