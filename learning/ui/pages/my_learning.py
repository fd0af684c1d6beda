"""Min læring: my modules, their status and completion dates, and my private reflection notes."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from learning.formatting import fmt_date, plain
from learning.i18n import current_language, t, using_language
from learning.services.assignments import Requirement
from learning.services.certificate_pdf import certificate_pdf
from learning.services.certificates import CertificateService
from learning.services.learning import CatalogEntry, Status
from learning.services.team_sessions import TeamSessionService
from learning.ui.context import learning, repository
from learning.ui.learner_data import my_modules
from learning.ui.list_view import percent_text, table_or_cards
from learning.ui.pages import PAGES, go
from learning.ui.reflection_notes import notes_service
from learning.ui.session import require

TABLE_KEY = "mine-table"


def render() -> None:
    user = require()
    st.title(t("mine.title"))
    catalog, required = my_modules(user)
    started = [e for e in catalog if e.status != Status.NOT_STARTED]
    waiting = sorted((e for e in catalog if e.status == Status.NOT_STARTED and e.module.id in required),
                     key=lambda e: required[e.module.id].deadline)
    if not started and not waiting:
        st.info(t("mine.empty"))
    else:
        if started:
            done = sum(1 for e in started if e.status == Status.COMPLETED)
            st.write(t("mine.summary", done=done, started=len(started)))
        if waiting:
            st.warning(t("mine_more.required_waiting", count=len(waiting)), icon=":material/priority_high:")
        _module_table(waiting + started, required)
        certificates(user, [e for e in started if e.progress.completed_at])
    attended_sessions(user)
    reflection_notes(user)


def attended_sessions(user) -> None:
    """Team sessions the person took part in: their history, apart from completion."""
    sessions = TeamSessionService(repository(), learning().content).mine(user)
    if not sessions:
        return
    st.header(t("sessions.mine_title"))
    modules = learning().content.modules
    for session in sessions:
        title = modules[session.module_id].meta.title if session.module_id in modules else session.module_id
        st.markdown("- " + t("sessions.person_line", module=plain(title), day=fmt_date(session.day)))


def _module_table(entries: list[CatalogEntry], required: dict[str, Requirement]) -> None:
    """Required modules not started first, then the started ones; choosing a row opens that module."""
    rows = [
        {
            t("mine.col_module"): e.module.meta.title,
            t("mine.col_status"): t(f"status.{e.status.value}"),
            t("mine_more.col_required"): (t("mine_more.required_by", date=fmt_date(required[e.module.id].deadline))
                                          if e.module.id in required else ""),
            t("mine.col_percent"): e.percent,
            t("mine.col_completed"): fmt_date(e.progress.completed_at) if e.progress else "",
            # whole numbers or nothing: mixing numbers and "" in one column fails Arrow on every render
            t("mine.col_version"): e.progress.completed_version if e.progress else None,
            t("mine.col_best"): "" if not e.progress or e.progress.best_percent is None
            else f"{e.progress.best_percent} %",
        }
        for e in entries
    ]
    frame = pd.DataFrame(rows)
    frame[t("mine.col_version")] = frame[t("mine.col_version")].astype("Int64")

    def table():
        st.caption(t("mine_more.open_hint"))
        return st.dataframe(frame, hide_index=True, width="stretch", on_select="rerun", selection_mode="single-row",
                            key=TABLE_KEY, column_config={
                                t("mine.col_percent"): st.column_config.ProgressColumn(
                                    t("mine.col_percent"), format="%d %%", min_value=0, max_value=100),
                                t("mine.col_version"): st.column_config.NumberColumn(t("mine.col_version"),
                                                                                     format="%d")})

    # on a phone (or with the list chosen) each card's title is a link to its module
    links = [f"{PAGES['module'][1]}?{urlencode({'modul': e.module.id})}" for e in entries]
    event = table_or_cards(rows, key="mine", table=table, links=links,
                           formats={t("mine.col_percent"): percent_text})
    chosen = event.selection.rows if event else []
    if chosen and chosen[0] < len(entries):
        st.session_state.pop(TABLE_KEY, None)
        go("module", modul=entries[chosen[0]].module.id)


def certificates(user, entries) -> None:
    """One PDF per completed module, built only when its button is pressed."""
    if not entries:
        return
    st.header(t("certificate.section"))
    st.caption(t("certificate.intro"))
    service = CertificateService(repository(), learning().content)
    language = current_language()  # the file is built later, outside this run's language

    def build(module_id: str) -> bytes:
        with using_language(language):
            return certificate_pdf(service.mine(user, module_id))

    for entry in entries:
        module_id = entry.module.id
        st.download_button(t("certificate.download", module=plain(entry.module.meta.title)),
                           lambda module_id=module_id: build(module_id),
                           file_name=f"kursbevis-{module_id}.pdf", mime="application/pdf", on_click="ignore",
                           icon=":material/workspace_premium:", key=f"certificate-{module_id}")


def reflection_notes(user) -> None:
    """The learner's own notes; only ever read for the signed-in person."""
    st.header(t("notes.mine_title"))
    notes = notes_service().mine(user)
    if not notes:
        st.caption(t("notes.mine_none"))
        return
    st.caption(t("notes.mine_intro"))
    modules = learning().content.modules
    for note in notes:
        module = modules.get(note.module_id)
        lesson = next((x for x in module.lessons if x.id == note.lesson_id), None) if module else None
        title = module.meta.title if module else note.module_id
        with st.container(border=True):
            st.markdown(f"**{plain(title)}** · {plain(lesson.title if lesson else note.lesson_id)} · "
                        f"{fmt_date(note.updated_at)}")
            if note.prompt:
                st.caption(plain(note.prompt))
            st.text(note.text)
