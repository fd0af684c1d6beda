"""Min læring: my modules, their status and completion dates, and my private reflection notes."""

from __future__ import annotations

import streamlit as st

from learning.formatting import fmt_date, plain
from learning.i18n import current_language, t, using_language
from learning.services.certificate_pdf import certificate_pdf
from learning.services.certificates import CertificateService
from learning.services.learning import Status
from learning.ui.context import learning, repository
from learning.ui.reflection_notes import notes_service
from learning.ui.session import require


def render() -> None:
    user = require()
    st.title(t("mine.title"))
    entries = [e for e in learning().catalog(user) if e.status != Status.NOT_STARTED]
    if not entries:
        st.info(t("mine.empty"))
    else:
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
        certificates(user, [e for e in entries if e.progress.completed_at])
    reflection_notes(user)


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
