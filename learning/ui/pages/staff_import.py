"""The users page's import tab: upload, preview every row, then import all or nothing."""

from __future__ import annotations

import streamlit as st

from learning.formatting import plain
from learning.i18n import t
from learning.records import User
from learning.services.staff_import import Action, Plan, StaffImportService
from learning.ui.components import area_label, run_action
from learning.ui.context import repository
from learning.ui.list_view import table_or_cards

FLASH = "import-flash"


def import_section(admin: User, municipality: str) -> None:
    st.header(t("import.title"))
    st.write(t("import.intro"))
    if FLASH in st.session_state:
        st.success(st.session_state.pop(FLASH))
    upload = st.file_uploader(t("import.file"), type=["csv", "xlsx"], key=f"import-{municipality}")
    if upload is None:
        return
    service = StaffImportService(repository())
    data = upload.getvalue()
    plan = run_action(lambda: service.preview(admin, municipality, upload.name, data))
    if plan is None:
        return
    _preview(plan)
    if not plan.ok:
        st.error(t("import.rejected_note"), icon=":material/block:")
        return
    if st.button(t("import.button"), type="primary", icon=":material/upload:"):
        done = run_action(lambda: service.apply(admin, municipality, upload.name, data))
        if done is not None:
            st.session_state[FLASH] = t("import.done", create=done.count(Action.CREATE),
                                        update=done.count(Action.UPDATE))
            st.session_state.pop(f"import-{municipality}", None)
            st.rerun()


def _preview(plan: Plan) -> None:
    st.markdown(t("import.summary", **{a.value: plan.count(a) for a in Action}))
    rows = sorted(plan.rows, key=lambda r: (r.action != Action.REJECT, r.line))
    rejected = [r for r in rows if r.action == Action.REJECT]
    if rejected:  # the reasons in full, as text: a table cell would cut them off
        st.markdown("\n".join(f"- {t('import.line_problems', line=r.line, problems=plain(' '.join(r.problems)))}"
                               for r in rejected))
    line = t("import.col_line")
    table_or_cards([{line: r.line, t("import.col_action"): t(f"import.action_{r.action.value}"),
                     t("import.col_problems"): " ".join(r.problems), t("import.col_name"): r.name,
                     t("import.col_email"): r.email,
                     t("import.col_username"): r.username, t("import.col_area"): area_label(r.service_area),
                     t("import.col_unit"): r.unit, t("import.col_role"): t(f"role.{r.role.value}")} for r in rows],
                   key="import", formats={line: lambda n: f"{line} {n}"}, hide_index=True, width="stretch",
                   column_config={t("import.col_problems"): st.column_config.TextColumn(width="large")})
